"""Pages of targets: one module per subdomain."""
