"""Reads of corporate culture (企业文化, seed S11): the vision and values with their history,
and the recognition posts (表扬) a user may see."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.models import User
from django.db.models import QuerySet

from salesorg.core.scoping import SystemActor, scope_for
from salesorg.development.models import CulturePage, Recognition
from salesorg.org.models import Person, Team

RECENT_DAYS = 14


def culture_page() -> CulturePage:
    """The vision and values (an empty page until someone writes it)."""
    return CulturePage.objects.order_by("pk").first() or CulturePage()


def culture_page_history(*, limit: int = 10) -> list:
    """The latest versions of the vision and values, newest first."""
    return list(CulturePage.history.select_related("updated_by").order_by("-history_date")[:limit])


def praisable_people(*, user: User | SystemActor, today: date) -> QuerySet:
    """The employed people the user sees, other than themselves: whom the praise page offers
    (the service checks each one)."""
    return (
        Person.objects.employed_on(today)
        .visible_to(user)
        .exclude(pk=scope_for(user).person_id)
        .order_by("code")
    )


def recognition_list(
    *, user: User | SystemActor, team: Team | None = None, person: Person | None = None
) -> QuerySet:
    """Recognition posts the user may see, of one team or one person when given."""
    posts = Recognition.objects.visible_to(user).select_related(
        "person", "author", "team", "order", "visit", "customer"
    )
    if team is not None:
        posts = posts.filter(team=team)
    if person is not None:
        posts = posts.filter(person=person)
    return posts.order_by("-created_at", "-id")


def recent_team_recognitions(
    *, user: User | SystemActor, person: Person, today: date, limit: int = 3
) -> list:
    """The latest posts about the person's team of the last RECENT_DAYS days (one query)."""
    scope = scope_for(user)
    since = today - timedelta(RECENT_DAYS)
    return list(
        Recognition.objects.visible_to(user)
        .filter(team_id__in=scope.team_ids, created_at__date__gte=since)
        .select_related("person")
        .order_by("-created_at", "-id")[:limit]
    )
