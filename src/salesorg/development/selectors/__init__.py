"""Reads of the development app, one module per subdomain: each takes the user (or SYSTEM)."""
