"""Downgrade root-cause endpoints (S19): list and read them with their action plan and
recovery, add action items, complete (the owner) and review (the manager).

Reads are scoped by `visible_to`; actions name their object in the body and go through the
same services as the pages (PermissionDenied → 403, ValidationError → 400 naming the field).
People are named by person id everywhere (`reviewed_by_user_id` keeps the old login id).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from salesorg.api.crud import ApiPagination, renamed_errors, scoped_model
from salesorg.api.errors import Forbidden
from salesorg.api.types import Day, RecordId
from salesorg.customers.models import CauseCategory, RootCause
from salesorg.customers.selectors import credit as credit_selectors
from salesorg.customers.services import root_causes as root_cause_services
from salesorg.org.models import Person
from salesorg.targets.models import ActionItem

router = Router(tags=["evaluation and development"])
API_FIELD_NAMES = {"owner": "owner_id"}


def _scoped(label: str, name: str) -> dict:
    return {"openapi_extra": scoped_model(label), "operation_id": name}


def _call(service, **kwargs):
    """Call a service: PermissionDenied → 403; field errors named as in the payload."""
    try:
        return service(**kwargs)
    except PermissionDenied as error:
        raise Forbidden from error
    except ValidationError as error:
        raise renamed_errors(error, API_FIELD_NAMES) from error


# --- root causes ----------------------------------------------------------------------------------


class RootCauseActionItemOut(Schema):
    id: int
    title: str
    owner_id: RecordId
    due_date: date
    status: str

    @staticmethod
    def resolve_title(item: ActionItem) -> str:
        return item.display_title


class RootCauseOut(Schema):
    id: int
    evaluation_id: RecordId
    customer_id: RecordId
    owner_id: RecordId
    reviewer_id: RecordId | None
    status: str
    from_rating: str
    to_rating: str
    cause_category: str
    explanation: str
    action_plan: str = Field(description="The plan as first written: context for its action items.")
    submitted_at: datetime | None
    reviewed_by_id: RecordId | None = Field(
        description="The person who reviewed it (a person id, like every other person field)."
    )
    reviewed_by_user_id: RecordId | None = Field(
        description="Deprecated: the login that reviewed it (use reviewed_by_id)."
    )
    reviewed_at: datetime | None
    review_comment: str
    recovered: bool | None = Field(
        description="At the next evaluation: back to from_rating or better (null until then)."
    )
    recovery_evaluation_id: RecordId | None
    recovery_as_of: date | None
    recovery_rating: str | None

    @staticmethod
    def resolve_reviewed_by_id(cause: RootCause) -> int | None:
        person = getattr(cause.reviewed_by, "person", None) if cause.reviewed_by_id else None
        return person.pk if person is not None else None

    @staticmethod
    def resolve_reviewed_by_user_id(cause: RootCause) -> int | None:
        return cause.reviewed_by_id

    @staticmethod
    def resolve_recovery_as_of(cause: RootCause) -> date | None:
        return cause.recovery_evaluation.as_of if cause.recovery_evaluation else None

    @staticmethod
    def resolve_recovery_rating(cause: RootCause) -> str | None:
        return cause.recovery_evaluation.rating if cause.recovery_evaluation else None


class RootCauseDetailOut(RootCauseOut):
    action_items: list[RootCauseActionItemOut] = Field(
        description="The tracked action plan: what, who (person id), by when, where it stands."
    )


class RootCauseActionIn(Schema):
    title: str = Field(..., max_length=200)
    owner_id: RecordId | None = Field(
        None, description="A person id; the cause's owner if omitted."
    )
    due_date: Day


class RootCauseActionCreateIn(RootCauseActionIn):
    root_cause_id: RecordId


class RootCauseCompletionIn(Schema):
    root_cause_id: RecordId
    cause_category: str = Field(..., description="one of: " + ", ".join(CauseCategory.values))
    explanation: str
    action_plan: str = Field("", description="Optional context for the action items.")
    action_items: list[RootCauseActionIn] = Field(
        [],
        description="Action items added with the submission; at least one is needed in all.",
    )


class RootCauseReviewIn(Schema):
    root_cause_id: RecordId
    decision: Literal["accept", "return"]
    comment: str = ""


def _cause(request, pk: int) -> RootCause:
    return get_object_or_404(
        RootCause.objects.visible_to(request.user).select_related(
            "reviewed_by__person", "recovery_evaluation"
        ),
        pk=pk,
    )


def _detail(request, cause: RootCause) -> RootCause:
    """The cause as the detail schema reads it, with its action items."""
    cause = _cause(request, cause.pk)
    cause.action_items = credit_selectors.root_cause_actions(user=request.user, cause=cause)
    return cause


def _owner(request, owner_id: int | None):
    """The person named as an action item's owner, among those the caller sees."""
    if owner_id is None:
        return None
    owner = Person.objects.visible_to(request.user).filter(pk=owner_id).first()
    if owner is None:
        raise ValidationError({"owner_id": _("Unknown person: %(id)s.") % {"id": owner_id}})
    return owner


@router.get(
    "/root-causes", response=list[RootCauseOut], **_scoped("customers.RootCause", "root_cause_list")
)
@paginate(ApiPagination)
def root_cause_list(request, status: str = "", mine: str = ""):
    """Downgrade root causes in scope (`mine`: complete or review; `status`: unresolved …)."""
    causes = credit_selectors.root_causes_list(user=request.user, status=status, mine=mine)
    return causes.select_related("reviewed_by__person")


@router.get(
    "/root-causes/{pk}",
    response=RootCauseDetailOut,
    **_scoped("customers.RootCause", "root_cause_get"),
)
def root_cause_get(request, pk: RecordId):
    """One root cause with its action plan and, after the next evaluation, its recovery."""
    return _detail(request, _cause(request, pk))


@router.post(
    "/root-cause-action-items",
    response={201: RootCauseActionItemOut},
    **_scoped("customers.RootCause", "root_cause_action_add"),
)
def root_cause_action_add(request, payload: RootCauseActionCreateIn):
    """Add an action item (title, owner, due date) to a downgrade's plan."""
    cause = _cause(request, payload.root_cause_id)
    item = _call(
        root_cause_services.root_cause_action_add,
        cause=cause,
        actor=request.user,
        title=payload.title,
        owner=_call(_owner, request=request, owner_id=payload.owner_id),
        due_date=payload.due_date,
    )
    return 201, item


@router.post(
    "/root-cause-completions",
    response=RootCauseDetailOut,
    **_scoped("customers.RootCause", "root_cause_complete"),
)
def root_cause_complete(request, payload: RootCauseCompletionIn):
    """The owner submits the cause and explanation with the action plan for review."""
    cause = _cause(request, payload.root_cause_id)
    items = [
        {
            "title": item.title,
            "owner": _call(_owner, request=request, owner_id=item.owner_id),
            "due_date": item.due_date,
        }
        for item in payload.action_items
    ]
    cause = _call(
        root_cause_services.root_cause_complete,
        cause=cause,
        actor=request.user,
        cause_category=payload.cause_category,
        explanation=payload.explanation,
        action_plan=payload.action_plan,
        action_items=items,
    )
    return _detail(request, cause)


@router.post(
    "/root-cause-reviews",
    response=RootCauseDetailOut,
    **_scoped("customers.RootCause", "root_cause_review"),
)
def root_cause_review(request, payload: RootCauseReviewIn):
    """The manager accepts the root cause or returns it with a comment."""
    cause = _call(
        root_cause_services.root_cause_review,
        cause=_cause(request, payload.root_cause_id),
        actor=request.user,
        decision=payload.decision,
        comment=payload.comment,
    )
    return _detail(request, cause)
