"""Writes of the development app, one module per subdomain (atomic, keyword-only, typed)."""
