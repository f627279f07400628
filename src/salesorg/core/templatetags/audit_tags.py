"""Template helpers of the audit trail."""

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def history_url(obj) -> str:
    """The history page of a record, or "" for objects without one."""
    if obj is None or getattr(obj, "pk", None) is None or not hasattr(type(obj), "history"):
        return ""
    meta = obj._meta
    return reverse("audit:history", args=[meta.app_label, meta.model_name, obj.pk])
