"""Pages of the development app, one module per subdomain."""
