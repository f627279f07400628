"""Reads of the customers app, always scoped to a user, one module per subdomain: customers,
care, credit, pipeline."""
