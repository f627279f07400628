"""Writes of the customers app, one module per subdomain: customers (and contacts,
stakeholders, lifecycle), care, credit (evaluation, root causes, credit control), pipeline."""
