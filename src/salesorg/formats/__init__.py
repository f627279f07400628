"""Number formats that override Django's own per language (FORMAT_MODULE_PATH)."""
