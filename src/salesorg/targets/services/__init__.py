"""Writes of targets: one module per subdomain (targets, plans, grid, decomposition, pdca,
reviews)."""
