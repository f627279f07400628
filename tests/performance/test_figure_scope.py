"""Whose individual figures a rep sees (#21 F13), as the scope oracle states it: a sales
meeting of their own team shows every rep's misses (the meeting is where the team discusses
everyone's figures); the team period report, like every other figure page, shows a rep only
their own figures, and a team manager their team's."""

from datetime import date

import pytest

from salesorg.org.models import Person
from salesorg.performance.services.scorecards import scorecards_compute
from tests.performance.scorecard_helpers import published
from tests.performance.test_meetings import create, misses_world  # noqa: F401 (fixture)
from tests.scope_oracle import EVERYONE, figure_people

REPORT = "/performance/teams/{team}/report/?kind=month&start=2026-01-01"


@pytest.fixture
def world(misses_world):  # noqa: F811
    """misses_world with names no other text on a page contains."""
    for key, name in (("rep_east1a", "东一甲"), ("rep_east1b", "东一乙")):
        person = misses_world.people[key]
        Person.objects.filter(pk=person.pk).update(name=name)
        person.name = name
    return misses_world


def _expected(world, role: str, *, page: str) -> set[str]:
    """The names of the team's reps whose figures the oracle lets `role` see on `page`."""
    team = world.teams["east1"]
    allowed = figure_people(role, page=page, team_code=team.code)
    reps = {world.people[key] for key in ("rep_east1a", "rep_east1b")}
    return {rep.name for rep in reps if allowed == EVERYONE or rep.code in allowed}


def _names_shown(html: str, world) -> set[str]:
    names = {world.people[key].name for key in ("rep_east1a", "rep_east1b")}
    return {name for name in names if name in html}


@pytest.mark.parametrize("role", ["rep_east1a", "manager_east1", "director"])
def test_the_meeting_page_shows_every_reps_figures_to_whoever_sees_the_meeting(world, role):
    # given the January meeting of east-1, whose agenda has misses of both its reps
    meeting = create(world)
    assert {item.person.name for item in meeting.items.all()} == _expected(
        world, "director", page="meeting"
    )
    # when a member, its manager or the director opens it
    page = world.client(role).get(meeting.get_absolute_url())
    # then they see both reps' figures, as the oracle says
    assert page.status_code == 200
    assert _names_shown(page.content.decode(), world) == _expected(world, role, page="meeting")


@pytest.mark.parametrize("role", ["rep_east1a", "manager_east1", "director"])
def test_the_period_report_shows_a_rep_only_their_own_figures(world, role):
    # given the January meeting of east-1 (both reps missed) and January's scorecards, on the
    # team's period report
    create(world)
    published(world)
    scorecards_compute(actor=world.user("director"), kind="month", start=date(2026, 1, 1))
    team = world.teams["east1"]
    # when a rep of the team, its manager or the director opens the report
    page = world.client(role).get(REPORT.format(team=team.pk))
    html = page.content.decode()
    # then a rep finds only their own figures (indicators, scorecards, meeting items), the
    # leaders everyone's
    assert page.status_code == 200
    assert _names_shown(html, world) == _expected(world, role, page="report")


def test_the_oracle_states_the_rule():
    # a rep: their team's meeting shows the whole team, every other page only themselves
    assert figure_people("rep_east1a", page="meeting", team_code="EAST1") == EVERYONE
    assert figure_people("rep_east1a", page="report", team_code="EAST1") == {"REP-east1a"}
    assert figure_people("rep_east1a", page="meeting", team_code="EAST2") == set()
    assert figure_people("manager_east1", page="report", team_code="EAST1") >= {
        "REP-east1a",
        "REP-east1b",
    }
    assert figure_people("rep_former", page="meeting", team_code="EAST1") == set()
