"""Sales meetings over the API: the agenda of a team's period with how far its analysis has
come, causes and countermeasures (→ action items) and the minutes.

Reads are scoped by `visible_to` (hidden objects answer 404); writes call the same
services as the pages (performance.services.meetings): 400 naming the field, 403 where the
caller sees the meeting but may not run it.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import paginate

from salesorg.api.crud import ApiPagination, renamed_errors, scoped_model
from salesorg.api.errors import Forbidden
from salesorg.api.types import Day, RecordId, optional_query
from salesorg.core.problems import Problems
from salesorg.org.models import Person, Team
from salesorg.performance.models import MeetingItem, SalesMeeting
from salesorg.performance.permissions import can_run_meeting
from salesorg.performance.selectors.meetings import (
    agenda_as_of,
    agenda_state,
    carried_actions,
    meetable_teams,
    meeting_items,
)
from salesorg.performance.services.meetings import (
    meeting_create,
    meeting_item_record,
    meeting_minutes_save,
)

router = Router(tags=["meetings"])

MEETING = scoped_model("performance.SalesMeeting")
ITEM = scoped_model("performance.MeetingItem")


class ActionOut(Schema):
    id: int
    title: str
    owner_id: RecordId
    due_date: date
    status: str

    @staticmethod
    def resolve_title(item) -> str:
        # a system-written title in the requester's language (a dict is already rendered)
        return item["title"] if isinstance(item, dict) else item.display_title


class ItemOut(Schema):
    id: int
    person_id: RecordId
    indicator: str
    reason: str
    value: str
    reference: str
    cause_category: str
    cause: str
    countermeasure: str
    actions: list[ActionOut]


class MeetingOut(Schema):
    id: int
    team_id: RecordId
    period_start: date
    period_end: date
    held_on: date
    title: str
    minutes: str
    chaired_by_id: RecordId | None

    @staticmethod
    def resolve_title(meeting) -> str:
        # a title the system gave, in the requester's language (a dict is already rendered)
        return meeting["title"] if isinstance(meeting, dict) else meeting.display_title


class MeetingDetailOut(MeetingOut):
    """A meeting with its agenda; `analysed` of `total` items have a cause and a
    countermeasure; `agenda_as_of` is the day a running period's agenda was judged to (its
    targets pro-rated by working days to that day), null when judged after the period."""

    analysed: int
    total: int
    agenda_as_of: date | None
    agenda: list[ItemOut]
    open_actions_from_last_meeting: list[ActionOut]


class MeetingIn(Schema):
    team_id: RecordId
    period_start: Day
    period_end: Day
    held_on: Day
    title: str = ""


class MinutesIn(Schema):
    minutes: str


class ItemIn(Schema):
    cause_category: str
    cause: str
    countermeasure: str = ""
    owner_id: RecordId | None = None
    due_date: Day | None = None


def _items_out(items: list[MeetingItem]) -> list[dict]:
    return [
        {
            "id": item.pk,
            "person_id": item.person_id,
            "indicator": item.indicator,
            "reason": item.reason,
            "value": item.value,
            "reference": item.reference,
            "cause_category": item.cause_category,
            "cause": item.cause,
            "countermeasure": item.countermeasure,
            "actions": item.actions,
        }
        for item in items
    ]


def _meeting(request, meeting_id: int) -> SalesMeeting:
    return get_object_or_404(
        SalesMeeting.objects.visible_to(request.user).select_related("team"), pk=meeting_id
    )


def _meeting_detail(meeting: SalesMeeting) -> dict:
    items = meeting_items(meeting=meeting)
    progress = agenda_state(items=items)
    return {
        **MeetingOut.from_orm(meeting).dict(),
        "analysed": progress.analysed,
        "total": progress.total,
        "agenda_as_of": agenda_as_of(meeting=meeting),
        "agenda": _items_out(items),
        "open_actions_from_last_meeting": carried_actions(meeting=meeting),
    }


@router.get(
    "/meetings", response=list[MeetingOut], openapi_extra=MEETING, operation_id="meeting_list"
)
@paginate(ApiPagination)
def meetings_list(request, team: int | None = optional_query()):
    """Sales meetings of the teams the caller sees, newest first."""
    meetings = SalesMeeting.objects.visible_to(request.user)
    if team is not None:
        meetings = meetings.filter(team_id=team)
    return meetings.order_by("-held_on", "-id")


@router.get(
    "/meetings/{pk}", response=MeetingDetailOut, openapi_extra=MEETING, operation_id="meeting_get"
)
def meetings_get(request, pk: RecordId):
    """A meeting with its agenda, causes, countermeasures and the last meeting's open actions."""
    return _meeting_detail(_meeting(request, pk))


@router.get(
    "/meetings/{pk}/agenda",
    response=list[ItemOut],
    openapi_extra=MEETING,
    operation_id="meeting_agenda",
)
def meetings_agenda(request, pk: RecordId):
    """The agenda: every miss of the period (below target, or over the expense budget)."""
    return _items_out(meeting_items(meeting=_meeting(request, pk)))


@router.post(
    "/meetings",
    response={201: MeetingDetailOut},
    openapi_extra=MEETING,
    operation_id="meeting_create",
)
def meetings_create(request, payload: MeetingIn):
    """Hold a meeting of a team about a period; the agenda is generated from its misses."""
    if not meetable_teams(user=request.user).exists():
        raise Forbidden
    team = Team.objects.visible_to(request.user).filter(pk=payload.team_id).first()
    if team is None:
        problems = Problems()
        problems.add("team_id", _("Unknown team."))
        problems.raise_if_any()
    try:
        meeting = meeting_create(
            actor=request.user,
            team=team,
            period_start=payload.period_start,
            period_end=payload.period_end,
            held_on=payload.held_on,
            title=payload.title,
        )
    except ValidationError as error:
        raise renamed_errors(error, {"team": "team_id"}) from None
    return 201, _meeting_detail(meeting)


@router.post(
    "/meetings/{meeting_id}/minutes",
    response=MeetingOut,
    openapi_extra=MEETING,
    operation_id="meeting_minutes",
)
def meetings_minutes(request, meeting_id: RecordId, payload: MinutesIn):
    """Keep the minutes of a meeting (its team's leaders, director, admin)."""
    meeting = _meeting(request, meeting_id)
    if not can_run_meeting(request.user, meeting.team):
        raise Forbidden
    return meeting_minutes_save(actor=request.user, meeting=meeting, minutes=payload.minutes)


@router.post(
    "/meeting-items/{item_id}",
    response=ItemOut,
    openapi_extra=ITEM,
    operation_id="meeting_item_record",
)
def meeting_items_record(request, item_id: RecordId, payload: ItemIn):
    """Record an agenda item's real cause and countermeasure (→ an action item)."""
    item = get_object_or_404(
        MeetingItem.objects.visible_to(request.user).select_related("meeting__team", "person"),
        pk=item_id,
    )
    if not can_run_meeting(request.user, item.meeting.team):
        raise Forbidden
    owner = None
    if payload.owner_id is not None:
        owner = Person.objects.visible_to(request.user).filter(pk=payload.owner_id).first()
        if owner is None:
            problems = Problems()
            problems.add("owner_id", _("Unknown person."))
            problems.raise_if_any()
    meeting_item_record(
        actor=request.user,
        item=item,
        cause_category=payload.cause_category,
        cause=payload.cause,
        countermeasure=payload.countermeasure,
        owner=owner,
        due_date=payload.due_date,
    )
    return next(
        out for out in _items_out(meeting_items(meeting=item.meeting)) if out["id"] == item.pk
    )
