"""Reads of targets: one module per subdomain (plans, grid, actuals, pdca, reviews)."""
