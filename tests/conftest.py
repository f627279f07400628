"""Shared fixtures: a small company whose shape every scoping test relies on."""

from dataclasses import dataclass, field
from datetime import date

import pytest
from django.test import Client

from salesorg.org.choices import Role
from salesorg.org.models import Person, Region, Team
from tests.factories import (
    MembershipFactory,
    PersonFactory,
    RegionFactory,
    TeamFactory,
    login_for,
)


@dataclass
class OrgTree:
    """Two regions (east, north), two teams each, a manager and two reps per team.

    Also a director, a finance clerk, a trainer and an admin, each with a login
    (username = person code), plus a former rep of team east-1 who left it.
    """

    regions: dict[str, Region] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)

    def user(self, key: str):
        return self.people[key].user

    def client(self, key: str) -> Client:
        client = Client()
        client.force_login(self.user(key))
        return client


@pytest.fixture
def org_tree(db) -> OrgTree:
    tree = OrgTree()
    start = date(2020, 1, 1)
    tree.people["director"] = PersonFactory(code="DIR", role=Role.DIRECTOR)
    for key, role in [("finance", Role.FINANCE), ("trainer", Role.TRAINER), ("admin", Role.ADMIN)]:
        tree.people[key] = PersonFactory(code=key.upper(), role=role)
    for region_key in ("east", "north"):
        head = PersonFactory(code=f"HEAD-{region_key}", role=Role.REGION_HEAD)
        tree.people[f"head_{region_key}"] = head
        region = RegionFactory(code=region_key.upper(), head=head)
        tree.regions[region_key] = region
        for number in (1, 2):
            team_key = f"{region_key}{number}"
            manager = PersonFactory(code=f"MGR-{team_key}", role=Role.MANAGER, manager=head)
            team = TeamFactory(code=team_key.upper(), region=region, manager=manager)
            tree.teams[team_key] = team
            tree.people[f"manager_{team_key}"] = manager
            MembershipFactory(person=manager, team=team, start_date=start)
            for rep_letter in ("a", "b"):
                rep = PersonFactory(code=f"REP-{team_key}{rep_letter}", manager=manager)
                tree.people[f"rep_{team_key}{rep_letter}"] = rep
                MembershipFactory(person=rep, team=team, start_date=start)
    former = PersonFactory(code="REP-former", leave_date=date(2021, 6, 30))
    tree.people["rep_former"] = former
    MembershipFactory(
        person=former, team=tree.teams["east1"], start_date=start, end_date=date(2021, 6, 30)
    )
    for person in tree.people.values():
        login_for(person)
    return tree


@pytest.fixture(autouse=True)
def english_by_default(settings):
    """Tests read messages in English unless they switch language themselves."""
    settings.LANGUAGE_CODE = "en"
