"""How a service's validation errors reach a form's fields or the page's messages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError


def form_errors(form, error: ValidationError) -> None:
    """Show a service's field errors on the form (unknown fields as form errors)."""
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


def flash_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)
