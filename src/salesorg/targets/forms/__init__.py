"""Forms of targets: one module per subdomain."""
