"""Widgets the development forms share."""

from __future__ import annotations

from django import forms


def date_input() -> forms.DateInput:
    """A browser date picker that reads and writes ISO dates."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
