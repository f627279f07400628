"""Who a fact counts for: the org snapshot that credits a person's facts to units.

KPI.md, Periods and units: a person's fact counts for team T when, on the fact's
date, the person's membership is in T; for a region through its teams; for the
company always. Person rows exist only for people with role `rep`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from salesorg.core.calendar import workday_set
from salesorg.core.roles import Role
from salesorg.org.models import Membership, Person, Region, Team
from salesorg.performance.kpi.periods import Period

PERSON = "person"
TEAM = "team"
REGION = "region"
COMPANY = "company"

UnitKey = tuple[str, int | None]
COMPANY_KEY: UnitKey = (COMPANY, None)
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class PersonInfo:
    """What the engine needs of a person."""

    id: int
    code: str
    name: str
    role: str
    hire_date: date
    leave_date: date | None


@dataclass(frozen=True)
class UnitInfo:
    """A team or region: code, name and (for a team) its region."""

    id: int
    code: str
    name: str
    region_id: int | None = None


@dataclass(frozen=True)
class Stint:
    """One membership: a person in a team from start to end (inclusive; None = open)."""

    team_id: int
    start: date
    end: date | None

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass
class OrgSnapshot:
    """People, teams, regions and memberships, loaded in four queries."""

    people: dict[int, PersonInfo]
    teams: dict[int, UnitInfo]
    regions: dict[int, UnitInfo]
    stints: dict[int, list[Stint]]
    # Per person: the days from which their units change, and the units from each on.
    _spans: dict[int, tuple[list[date], list[tuple[UnitKey, ...]]]] = field(default_factory=dict)
    _members_cache: dict[date, dict[int, list[int]]] = field(default_factory=dict)
    # What callers derive from the snapshot's moment and share (targets of a period).
    memo: dict = field(default_factory=dict)

    @property
    def rep_ids(self) -> list[int]:
        """Ids of the people with role rep, by code."""
        reps = [p for p in self.people.values() if p.role == Role.REP]
        return [p.id for p in sorted(reps, key=lambda p: p.code)]

    def teams_on(self, *, person_id: int, day: date) -> list[int]:
        """The teams whose membership covers `day` for this person."""
        return [s.team_id for s in self.stints.get(person_id, ()) if s.covers(day)]

    def team_members_on(self, day: date) -> dict[int, list[int]]:
        """Team id -> the people (any role) whose membership covers `day`."""
        members = self._members_cache.get(day)
        if members is None:
            members = self._members_cache[day] = {}
            for person_id, stints in self.stints.items():
                for stint in stints:
                    if stint.covers(day):
                        members.setdefault(stint.team_id, []).append(person_id)
        return members

    def units_of(self, *, person_id: int, day: date) -> tuple[UnitKey, ...]:
        """Every unit a fact of this person dated `day` counts for."""
        starts, units = self._spans_of(person_id)
        return units[bisect_right(starts, day) - 1]

    def people_moving(
        self, *, start: date, end: date, among: Iterable[int] | None = None
    ) -> set[int]:
        """The people (of `among`, None: everyone) whose units change on a day after `start`
        up to `end` (a team move inside the period); the others count for the same units
        all period."""
        moving = set()
        for person_id in self.stints if among is None else among:
            if person_id not in self.stints:
                continue  # no membership: the same units every day
            starts = self._spans_of(person_id)[0]
            after = bisect_right(starts, start)
            if after < len(starts) and starts[after] <= end:
                moving.add(person_id)
        return moving

    def _spans_of(self, person_id: int) -> tuple[list[date], list[tuple[UnitKey, ...]]]:
        spans = self._spans.get(person_id)
        if spans is None:
            spans = self._spans[person_id] = self._person_spans(person_id)
        return spans

    def _person_spans(self, person_id: int) -> tuple[list[date], list[tuple[UnitKey, ...]]]:
        """The days a membership of the person starts or ends after, with the units from
        each of those days on (constant until the next)."""
        stints = self.stints.get(person_id, ())
        bounds = {date.min, *(stint.start for stint in stints)}
        bounds |= {stint.end + ONE_DAY for stint in stints if stint.end and stint.end < date.max}
        starts = sorted(bounds)
        return starts, [self._units_on(person_id=person_id, day=day) for day in starts]

    def _units_on(self, *, person_id: int, day: date) -> tuple[UnitKey, ...]:
        person = self.people.get(person_id)
        found: list[UnitKey] = []
        if person is not None and person.role == Role.REP:
            found.append((PERSON, person_id))
        team_ids = self.teams_on(person_id=person_id, day=day)
        found.extend((TEAM, team_id) for team_id in team_ids)
        region_ids = {self.teams[team_id].region_id for team_id in team_ids}
        found.extend((REGION, region_id) for region_id in sorted(region_ids))
        found.append(COMPANY_KEY)
        return tuple(found)


def org_snapshot(people_only: Collection[int] | None = None) -> OrgSnapshot:
    """Load the organization the engine attributes facts with (four queries).

    `people_only` loads just these people and their memberships (with every team and
    region): enough for a table of their own rows, as a rep's month is.
    """
    persons = Person.objects.order_by()
    memberships = Membership.objects.order_by("start_date")
    if people_only is not None:
        persons = persons.filter(id__in=sorted(people_only))
        memberships = memberships.filter(person_id__in=sorted(people_only))
    people = {
        row[0]: PersonInfo(*row)
        for row in persons.values_list("id", "code", "name", "role", "hire_date", "leave_date")
    }
    teams = {
        row[0]: UnitInfo(*row)
        for row in Team.objects.order_by().values_list("id", "code", "name", "region_id")
    }
    regions = {
        row[0]: UnitInfo(*row)
        for row in Region.objects.order_by().values_list("id", "code", "name")
    }
    stints: dict[int, list[Stint]] = {}
    for person_id, team_id, start, end in memberships.values_list(
        "person_id", "team_id", "start_date", "end_date"
    ):
        stints.setdefault(person_id, []).append(Stint(team_id=team_id, start=start, end=end))
    return OrgSnapshot(people=people, teams=teams, regions=regions, stints=stints)


class WorkdayCounter:
    """Counts the workdays of a period in any sub-range (one calendar query)."""

    def __init__(self, *, period: Period) -> None:
        self.period = period
        self.days = sorted(workday_set(period.start, period.end))

    def count(self, *, start: date, end: date | None) -> int:
        """Workdays in [start, end] ∩ P (end None = open)."""
        low = bisect_left(self.days, start)
        high = len(self.days) if end is None else bisect_right(self.days, end)
        return max(0, high - low)


def workdays_by_unit(
    *, org: OrgSnapshot, period: Period, people: set[int] | None = None
) -> dict[UnitKey, int]:
    """`workdays` of KPI.md, Visits: employed workdays of reps, member-days for teams.

    `people` asks for these reps' own rows only (a table of person rows).
    """
    counter = WorkdayCounter(period=period)
    if people is not None:
        return {
            (PERSON, person_id): counter.count(
                start=org.people[person_id].hire_date, end=org.people[person_id].leave_date
            )
            for person_id in people
            if person_id in org.people
        }
    workdays: dict[UnitKey, int] = {COMPANY_KEY: 0}
    for person_id in org.rep_ids:
        person = org.people[person_id]
        employed = counter.count(start=person.hire_date, end=person.leave_date)
        workdays[(PERSON, person_id)] = employed
        # The company counts all employed workdays, also those without a team.
        workdays[COMPANY_KEY] += employed
        for stint in org.stints.get(person_id, ()):
            start = max(stint.start, person.hire_date)
            ends = [end for end in (stint.end, person.leave_date) if end is not None]
            days = counter.count(start=start, end=min(ends) if ends else None)
            team_key = (TEAM, stint.team_id)
            workdays[team_key] = workdays.get(team_key, 0) + days
    # A region's workdays are the sum over its teams (KPI.md, Visits).
    for team_id, team in org.teams.items():
        region_key = (REGION, team.region_id)
        workdays[region_key] = workdays.get(region_key, 0) + workdays.get((TEAM, team_id), 0)
    return workdays
