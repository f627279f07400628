"""Small helpers the development pages share: pages of a list, the ?person= filter, and
service errors renamed to the form's fields."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from salesorg.core.hygiene import id_param
from salesorg.org.models import Person

PAGE_SIZE = 25


def page_of(request: HttpRequest, objects, size: int = PAGE_SIZE) -> Page:
    """The page of `objects` that `?page=` asks for."""
    return Paginator(objects, size).get_page(request.GET.get("page"))


def person_filter(request: HttpRequest) -> Person | None:
    """The person `?person=<id>` names, among those the user may see (404 otherwise)."""
    person_id = id_param(request.GET, "person")
    if person_id is None:
        return None
    return get_object_or_404(Person.objects.visible_to(request.user), pk=person_id)


def renamed_errors(error: ValidationError, names: dict[str, str]) -> ValidationError:
    """A service's ValidationError with its field names as the form spells them."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError(
        {names.get(field, field): messages for field, messages in error.message_dict.items()}
    )
