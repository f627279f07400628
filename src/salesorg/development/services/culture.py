"""Writes of corporate culture (企业文化, seed S11): the vision and values page, and the
recognition posts (表扬) that managers write about their people.

Rights: the director and admins edit the vision and values (each change is kept in its
history); team managers, region heads, the director and admins praise people they lead.
A post may point at one order, visit or customer that the author can see; it is shown to
the praised person's team (the team they were in when praised).
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from salesorg.core.problems import Problems
from salesorg.core.roles import person_of
from salesorg.customers.models import Customer
from salesorg.development.models import CulturePage, Recognition
from salesorg.development.permissions import can_edit_culture, can_praise
from salesorg.org.models import Person, Team
from salesorg.org.selectors import person_current_team
from salesorg.sales.models import Order, Visit


@transaction.atomic
def culture_page_save(*, vision: str, values: str, actor: User) -> CulturePage:
    """Change the vision and values; the previous text stays in the page's history."""
    if not can_edit_culture(actor):
        raise PermissionDenied
    page = CulturePage.objects.select_for_update().order_by("pk").first() or CulturePage()
    page.vision = (vision or "").strip()
    page.values = (values or "").strip()
    page.updated_by = person_of(actor)
    page.save()
    return page


@transaction.atomic
def recognition_create(
    *,
    person: Person,
    title: str,
    actor: User,
    message: str = "",
    order: Order | None = None,
    visit: Visit | None = None,
    customer: Customer | None = None,
) -> Recognition:
    """Praise `person` for a result, optionally pointing at one record the author can see."""
    problems = Problems()
    if person is None:
        problems.add("person", _("This field is required."))
    elif not can_praise(actor, person):
        problems.add("person", _("You may not write a recognition post about this person."))
    if not (title or "").strip():
        problems.add("title", _("This field is required."))
    linked = {"order": order, "visit": visit, "customer": customer}
    if sum(record is not None for record in linked.values()) > 1:
        problems.add("order", _("Link at most one record: an order, a visit or a customer."))
    for field, record in linked.items():
        if record is None:
            continue
        if not type(record).objects.visible_to(actor).filter(pk=record.pk).exists():
            problems.add(field, _("Unknown record, or outside your scope."))
    problems.raise_if_any()
    team: Team | None = person_current_team(person=person)
    return Recognition.objects.create(
        person=person,
        team=team,
        author=person_of(actor),
        title=title.strip()[:200],
        message=(message or "").strip(),
        order=order,
        visit=visit,
        customer=customer,
    )
