"""Pages of the customers app, one module per subdomain: customers, care, credit, pipeline."""
