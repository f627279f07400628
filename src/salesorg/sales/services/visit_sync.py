"""A visit sent from the phone's offline queue: saved once for its idempotency key.

The phone makes a UUID (`Visit.client_key`) when the visit is first saved, offline or not, and
sends it with every try. The first send saves the visit; a resend, or two sends racing each
other, answer the visit already saved under the key and never save a second one.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from salesorg.sales.models import Visit


def visit_saved_under(*, client_key: UUID, actor: User) -> Visit | None:
    """The visit already saved under `client_key`, if any.

    A key used by a visit `actor` cannot see is refused on `client_key` (a phone's keys are
    random, so this is never a resend of theirs, and who owns it is not told).
    """
    found = Visit.objects.filter(client_key=client_key).first()
    if found is None:
        return None
    if not Visit.objects.visible_to(actor).filter(pk=found.pk).exists():
        raise ValidationError({"client_key": [_("This key was already used by another visit.")]})
    return found


def visit_save_once(
    *, visit: Visit, client_key: UUID, actor: User, save: Callable[[Visit], object]
) -> tuple[Visit, bool]:
    """Save the new `visit` with `save` under `client_key`, or answer the visit already saved
    under it: (the visit, whether it was saved now).

    Two sends at the same moment both pass the first look and meet at the unique constraint:
    the second one's writes are rolled back and it answers the first one's visit.
    """
    existing = visit_saved_under(client_key=client_key, actor=actor)
    if existing is not None:
        return existing, False
    visit.client_key = client_key
    try:
        with transaction.atomic():
            save(visit)
    except IntegrityError:
        existing = visit_saved_under(client_key=client_key, actor=actor)
        if existing is None:
            raise  # another constraint: a bug to see, not a resend to hide
        return existing, False
    return visit, True
