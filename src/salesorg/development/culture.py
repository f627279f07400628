"""Corporate culture (企业文化, seed S11): the vision and values page, the published
incentive policy, and recognition posts (表扬) that managers write about their people.

Rights: the director and admins edit the vision and values (each change is kept in its
history); team managers, region heads, the director and admins praise people they lead.
A post may point at one order, visit or customer that the author can see; it is shown to
the praised person's team (the team they were in when praised).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from salesorg.core.problems import Problems
from salesorg.core.roles import Role, person_of, role_of
from salesorg.core.scoping import scope_for
from salesorg.development.models import CulturePage, Recognition
from salesorg.org.models import Person, Team
from salesorg.org.selectors import person_current_team

CULTURE_EDITORS = frozenset({Role.DIRECTOR, Role.ADMIN})
PRAISERS = frozenset({Role.MANAGER, Role.REGION_HEAD, Role.DIRECTOR, Role.ADMIN})
RECENT_DAYS = 14
LINKABLE = ("order", "visit", "customer")


def can_edit_culture(user) -> bool:
    """May the user change the vision and values?"""
    return role_of(user) in CULTURE_EDITORS


def can_praise(user, person: Person | None = None) -> bool:
    """May the user write a recognition post (about `person`, when given)?"""
    role = role_of(user)
    if role not in PRAISERS:
        return False
    if person is None or role in (Role.DIRECTOR, Role.ADMIN):
        return True
    scope = scope_for(user)
    return person.pk != scope.person_id and person.pk in scope.person_ids


def culture_page() -> CulturePage:
    """The vision and values (an empty page until someone writes it)."""
    return CulturePage.objects.order_by("pk").first() or CulturePage()


@transaction.atomic
def culture_page_save(*, vision: str, values: str, actor) -> CulturePage:
    """Change the vision and values; the previous text stays in the page's history."""
    if not can_edit_culture(actor):
        raise PermissionDenied
    page = CulturePage.objects.select_for_update().order_by("pk").first() or CulturePage()
    page.vision = (vision or "").strip()
    page.values = (values or "").strip()
    page.updated_by = person_of(actor)
    page.save()
    return page


def culture_page_history(*, limit: int = 10) -> list:
    """The latest versions of the vision and values, newest first."""
    return list(CulturePage.history.select_related("updated_by").order_by("-history_date")[:limit])


@transaction.atomic
def recognition_create(
    *,
    person: Person,
    title: str,
    actor,
    message: str = "",
    order=None,
    visit=None,
    customer=None,
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


def recognition_list(*, user, team: Team | None = None, person: Person | None = None) -> QuerySet:
    """Recognition posts the user may see, of one team or one person when given."""
    posts = Recognition.objects.visible_to(user).select_related(
        "person", "author", "team", "order", "visit", "customer"
    )
    if team is not None:
        posts = posts.filter(team=team)
    if person is not None:
        posts = posts.filter(person=person)
    return posts.order_by("-created_at", "-id")


def recent_team_recognitions(*, user, person: Person, today: date, limit: int = 3) -> list:
    """The latest posts about the person's team of the last RECENT_DAYS days (one query)."""
    scope = scope_for(user)
    since = today - timedelta(RECENT_DAYS)
    return list(
        Recognition.objects.visible_to(user)
        .filter(team_id__in=scope.team_ids, created_at__date__gte=since)
        .select_related("person")
        .order_by("-created_at", "-id")[:limit]
    )
