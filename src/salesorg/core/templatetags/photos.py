"""`{% photo_panel record add_url %}`: the photos of a record as thumbnails, with the upload
form for those who may add photos (core/_photo_panel.html)."""

from django import template

from salesorg.core.photos import photo_max_bytes, photo_max_side, photos_may_attach, photos_of

register = template.Library()


@register.inclusion_tag("core/_photo_panel.html", takes_context=True)
def photo_panel(context, record, add_url: str) -> dict:
    """The photos of `record` that the reader sees, and the form when they may add some."""
    user = context["request"].user
    return {
        "record": record,
        "photos": list(photos_of(record=record, user=user)),
        "may_attach": photos_may_attach(user, record),
        "add_url": add_url,
        "csrf_token": context.get("csrf_token"),
        "max_side": photo_max_side(),
        "max_mb": photo_max_bytes() // (1024 * 1024),
    }
