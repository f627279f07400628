"""Reads of the performance app for pages, the API and other apps, scoped to a user."""
