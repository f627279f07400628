"""PDCA cycles, action items and targets over the API (quarterly reviews and standards are in
api.reviews and api.standards).

Reads are scoped by `visible_to` (hidden objects answer 404); writes call the same
services as the pages (targets' services, work.actions), so the API refuses
exactly what the forms refuse: 400 naming the field, 403 where the caller sees the object
but may not change it. Actions on one object use `{<name>_id}` in their path.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import partial

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from salesorg.api.crud import (
    ApiPagination,
    register_crud,
    renamed_errors,
    scoped_model,
    versioned_save,
)
from salesorg.api.errors import Forbidden
from salesorg.api.types import Amount, Day, Month, RecordId, VersionedPatch, optional_query
from salesorg.core.problems import Problems, reference_check
from salesorg.core.roles import Role, person_of, role_of
from salesorg.customers.models import Contact, Customer
from salesorg.org.models import Person, Region, Team
from salesorg.sales.models import Visit
from salesorg.sales.permissions import can_create, can_write
from salesorg.targets.choices import ActionOrigin, ActionStatus, Metric, OwnerType
from salesorg.targets.models import (
    ActionItem,
    PdcaPlan,
    PdcaProblem,
    Target,
)
from salesorg.targets.permissions import can_write_plan
from salesorg.targets.selectors.pdca import pdca_plan_list
from salesorg.targets.services.pdca import (
    pdca_action_add,
    pdca_check_record,
    pdca_measure_add,
    pdca_plan_advance,
    pdca_plan_create,
    pdca_problem_add,
)
from salesorg.targets.services.target_writes import target_row_delete, target_row_save
from salesorg.work.actions import action_item_create, action_item_set_status, follow_up_create
from salesorg.work.permissions import can_change_action_item

router = Router(tags=["targets"])


# ---------------------------------------------------------------- PDCA


class MeasureOut(Schema):
    id: int
    what: str
    metric: str
    target_value: Decimal | None
    due_date: date
    owner_id: RecordId | None


class CheckOut(Schema):
    id: int
    checked_on: date
    checked_by_id: RecordId | None
    summary: str
    results: list


class ProblemOut(Schema):
    id: int
    check_id: RecordId | None = Field(None, alias="check_record_id")
    description: str
    cause_category: str
    cause: str


class CarryOverOut(Schema):
    action_item_id: RecordId
    note: str


class PlanOut(Schema):
    id: int
    title: str
    unit_type: str
    person_id: RecordId | None
    team_id: RecordId | None
    region_id: RecordId | None
    owner_id: RecordId
    period_start: date
    period_end: date
    objective: str
    status: str
    lesson: str
    closed_at: datetime | None
    carried_over: list[CarryOverOut]  # open action items kept open when the cycle closed


class PlanDetailOut(PlanOut):
    measures: list[MeasureOut] = Field(..., alias="measures_list")
    checks: list[CheckOut] = Field(..., alias="checks_list")
    problems: list[ProblemOut] = Field(..., alias="problems_list")


class PlanIn(Schema):
    title: str
    unit_type: OwnerType
    unit_id: RecordId | None = None
    owner_id: RecordId
    period_start: Day
    period_end: Day
    objective: str


class MeasureIn(Schema):
    what: str
    due_date: Day
    metric: str = ""
    target_value: Amount | None = None
    owner_id: RecordId | None = None


class CheckIn(Schema):
    checked_on: Day | None = None
    summary: str = ""


class ProblemIn(Schema):
    description: str
    cause_category: str
    cause: str
    check_id: RecordId | None = None


class CarryOverIn(Schema):
    action_item_id: RecordId
    note: str = ""


class AdvanceIn(Schema):
    lesson: str = ""
    carry_over: list[CarryOverIn] = []  # closing: each open action item kept open, with a note


class ActionIn(Schema):
    title: str
    owner_id: RecordId
    due_date: Day
    detail: str = ""


PLAN = scoped_model("targets.PdcaPlan")
UNIT_MODELS = {OwnerType.PERSON: Person, OwnerType.TEAM: Team, OwnerType.REGION: Region}


def _plan(request, plan_id: int, *, write: bool = True) -> PdcaPlan:
    plan = get_object_or_404(
        PdcaPlan.objects.visible_to(request.user).select_related("person", "team", "region"),
        pk=plan_id,
    )
    if write and not can_write_plan(request.user, plan):
        raise Forbidden
    return plan


def _plan_detail(plan: PdcaPlan) -> PdcaPlan:
    plan.measures_list = list(plan.measures.all())
    plan.checks_list = list(plan.checks.all())
    plan.problems_list = list(plan.problems.all())
    return plan


def _person(request, pk: int | None, field: str, *, required: bool = True) -> Person | None:
    problems = Problems()
    reference_check(
        problems, field=field, model=Person, pk=pk, actor=request.user, required=required
    )
    problems.raise_if_any()
    return Person.objects.visible_to(request.user).get(pk=pk) if pk is not None else None


@router.get(
    "/pdca-plans", response=list[PlanOut], openapi_extra=PLAN, operation_id="pdca_plan_list"
)
@paginate(ApiPagination)
def pdca_plans_list(request, status: str = "", search: str = ""):
    """PDCA plans the caller may see."""
    return pdca_plan_list(user=request.user, status=status, search=search)


@router.get(
    "/pdca-plans/{pk}", response=PlanDetailOut, openapi_extra=PLAN, operation_id="pdca_plan_get"
)
def pdca_plans_get(request, pk: RecordId):
    """One PDCA plan with its measures, checks and problems."""
    return _plan_detail(_plan(request, pk, write=False))


@router.post(
    "/pdca-plans", response={201: PlanOut}, openapi_extra=PLAN, operation_id="pdca_plan_create"
)
def pdca_plans_create(request, payload: PlanIn):
    """Start a PDCA cycle for a unit the caller leads."""
    if role_of(request.user) is None:
        raise Forbidden
    problems = Problems()
    unit = None
    if payload.unit_type != OwnerType.COMPANY:
        model = UNIT_MODELS[payload.unit_type]
        reference_check(
            problems, field="unit_id", model=model, pk=payload.unit_id, actor=request.user
        )
        problems.raise_if_any()
        unit = model.objects.visible_to(request.user).get(pk=payload.unit_id)
    owner = _person(request, payload.owner_id, "owner_id")
    try:
        plan = pdca_plan_create(
            title=payload.title,
            unit_type=payload.unit_type,
            unit=unit,
            owner=owner,
            period_start=payload.period_start,
            period_end=payload.period_end,
            objective=payload.objective,
            actor=request.user,
        )
    except ValidationError as error:
        raise renamed_errors(error, {"unit": "unit_id", "owner": "owner_id"}) from error
    return 201, plan


@router.post(
    "/pdca-plans/{plan_id}/measures",
    response={201: MeasureOut},
    openapi_extra=scoped_model("targets.PdcaMeasure"),
    operation_id="pdca_measure_create",
)
def pdca_measures_create(request, plan_id: RecordId, payload: MeasureIn):
    """Add a measure to a plan."""
    plan = _plan(request, plan_id)
    owner = _person(request, payload.owner_id, "owner_id", required=False)
    data = payload.dict(exclude={"owner_id"})
    return 201, pdca_measure_add(plan=plan, actor=request.user, owner=owner, **data)


@router.post(
    "/pdca-plans/{plan_id}/checks",
    response={201: CheckOut},
    openapi_extra=scoped_model("targets.PdcaCheck"),
    operation_id="pdca_check_create",
)
def pdca_checks_create(request, plan_id: RecordId, payload: CheckIn):
    """Record a check: results against the plan, actuals from the indicator engine."""
    plan = _plan(request, plan_id)
    return 201, pdca_check_record(
        plan=plan, actor=request.user, summary=payload.summary, checked_on=payload.checked_on
    )


@router.post(
    "/pdca-plans/{plan_id}/problems",
    response={201: ProblemOut},
    openapi_extra=scoped_model("targets.PdcaProblem"),
    operation_id="pdca_problem_create",
)
def pdca_problems_create(request, plan_id: RecordId, payload: ProblemIn):
    """Record a problem with its cause."""
    plan = _plan(request, plan_id)
    check = None
    if payload.check_id is not None:
        check = plan.checks.filter(pk=payload.check_id).first()
        if check is None:
            raise ValidationError({"check_id": [_unknown_check()]})
    return 201, pdca_problem_add(
        plan=plan,
        actor=request.user,
        check=check,
        description=payload.description,
        cause_category=payload.cause_category,
        cause=payload.cause,
    )


def _unknown_check() -> str:
    from django.utils.translation import gettext as _

    return _("Unknown check of this plan.")


@router.post(
    "/pdca-plans/{plan_id}/advance",
    response=PlanOut,
    openapi_extra=PLAN,
    operation_id="pdca_plan_advance",
)
def pdca_plans_advance(request, plan_id: RecordId, payload: AdvanceIn):
    """Move the cycle to its next stage; closing needs the lesson and each open action item
    done or carried over (`carry_over`, each with a note), else 400 naming `carry_over`."""
    plan = _plan(request, plan_id)
    carry_over = {entry.action_item_id: entry.note for entry in payload.carry_over}
    return pdca_plan_advance(
        plan=plan, actor=request.user, lesson=payload.lesson, carry_over=carry_over
    )


# ---------------------------------------------------------------- action items


class ActionItemOut(Schema):
    id: int
    title: str
    detail: str
    owner_id: RecordId
    due_date: date
    remind_on: date | None = None
    status: str
    origin: str
    source_type: str | None = None
    source_id: RecordId | None
    customer_id: RecordId | None
    created_by_id: RecordId | None
    completed_at: datetime | None
    result: str

    @staticmethod
    def resolve_source_type(item: ActionItem) -> str | None:
        return item.source_type.model if item.source_type_id else None

    @staticmethod
    def resolve_title(item: ActionItem) -> str:
        return item.display_title  # a system-written title in the requester's language

    @staticmethod
    def resolve_detail(item: ActionItem) -> str:
        return item.display_detail


class ActionItemIn(Schema):
    title: str
    owner_id: RecordId | None = Field(None, description="blank: the caller")
    due_date: Day
    remind_on: Day | None = Field(None, description="by the due date; blank: on the due date")
    detail: str = ""
    origin: ActionOrigin = ActionOrigin.OTHER
    # A follow-up (origin follow_up) is set on one of these records the caller sees.
    customer_id: RecordId | None = None
    visit_id: RecordId | None = None
    contact_id: RecordId | None = None


FOLLOW_UP_SOURCES = (("customer_id", Customer), ("visit_id", Visit), ("contact_id", Contact))


def _follow_up_source(request, payload: ActionItemIn) -> Model | None:
    """The record a follow-up is set on (one, in the caller's scope), or None for no source."""
    given = [
        (f, model, getattr(payload, f)) for f, model in FOLLOW_UP_SOURCES if getattr(payload, f)
    ]
    if not given:
        return None
    problems = Problems()
    for field, _model, _pk in given[1:]:
        problems.add(field, _("Give one of customer_id, visit_id and contact_id."))
    field, model, pk = given[0]
    reference_check(problems, field=field, model=model, pk=pk, actor=request.user)
    problems.raise_if_any()
    return model.objects.visible_to(request.user).get(pk=pk)


class ActionStatusIn(Schema):
    status: ActionStatus
    result: str = ""


ACTION = scoped_model("targets.ActionItem")


@router.post(
    "/pdca-problems/{problem_id}/actions",
    response={201: ActionItemOut},
    openapi_extra=ACTION,
    operation_id="pdca_action_create",
)
def pdca_actions_create(request, problem_id: RecordId, payload: ActionIn):
    """Give someone an action item against a problem (origin PDCA)."""
    problem = get_object_or_404(
        PdcaProblem.objects.visible_to(request.user).select_related("plan"), pk=problem_id
    )
    if not can_write_plan(request.user, problem.plan):
        raise Forbidden
    owner = _person(request, payload.owner_id, "owner_id")
    try:
        item = pdca_action_add(
            problem=problem,
            title=payload.title,
            owner=owner,
            due_date=payload.due_date,
            detail=payload.detail,
            actor=request.user,
        )
    except ValidationError as error:
        raise renamed_errors(error, {"owner": "owner_id"}) from error
    return 201, item


@router.get(
    "/action-items",
    response=list[ActionItemOut],
    openapi_extra=ACTION,
    operation_id="action_item_list",
)
@paginate(ApiPagination)
def action_items_list(request, status: str = "", owner_id: int | None = optional_query()):
    """Action items the caller may see, by due date; ?status= and ?owner_id= filter."""
    items = ActionItem.objects.visible_to(request.user).select_related("source_type")
    if status in ActionStatus.values:
        items = items.filter(status=status)
    if owner_id is not None:
        items = items.filter(owner_id=owner_id)
    return items.order_by("due_date", "id")


@router.get(
    "/action-items/{pk}",
    response=ActionItemOut,
    openapi_extra=ACTION,
    operation_id="action_item_get",
)
def action_items_get(request, pk: RecordId):
    """One action item."""
    return get_object_or_404(
        ActionItem.objects.visible_to(request.user).select_related("source_type"), pk=pk
    )


@router.post(
    "/action-items",
    response={201: ActionItemOut},
    openapi_extra=ACTION,
    operation_id="action_item_create",
)
def action_items_create(request, payload: ActionItemIn):
    """Give someone (yourself, or one of your people) an action item; with a customer_id,
    visit_id or contact_id it is a follow-up of that record."""
    if role_of(request.user) in (None, Role.FINANCE, Role.TRAINER):
        raise Forbidden
    owner = _person(request, payload.owner_id, "owner_id", required=False)
    source = _follow_up_source(request, payload)
    try:
        if source is not None:
            item = follow_up_create(
                actor=request.user,
                source=source,
                title=payload.title,
                due_date=payload.due_date,
                remind_on=payload.remind_on,
                owner=owner,
                detail=payload.detail,
            )
        else:
            item = action_item_create(
                title=payload.title,
                owner=owner or person_of(request.user),
                due_date=payload.due_date,
                remind_on=payload.remind_on,
                origin=payload.origin,
                detail=payload.detail,
                actor=request.user,
            )
    except ValidationError as error:
        raise renamed_errors(error, {"owner": "owner_id"}) from error
    return 201, item


@router.post(
    "/action-items/{item_id}/status",
    response=ActionItemOut,
    openapi_extra=ACTION,
    operation_id="action_item_set_status",
)
def action_items_set_status(request, item_id: RecordId, payload: ActionStatusIn):
    """Mark an item done, cancelled or open again."""
    item = get_object_or_404(ActionItem.objects.visible_to(request.user), pk=item_id)
    if not can_change_action_item(request.user, item):
        raise Forbidden
    return action_item_set_status(
        item=item, status=payload.status, actor=request.user, result=payload.result
    )


# ---------------------------------------------------------------- targets (scoped CRUD)


class TargetOut(Schema):
    id: int
    owner_type: OwnerType
    person_id: RecordId | None
    team_id: RecordId | None
    region_id: RecordId | None
    year: int
    month: int
    metric: Metric
    realistic: Decimal
    ideal: Decimal
    version: int


class TargetIn(Schema):
    owner_type: OwnerType
    person_id: RecordId | None = None
    team_id: RecordId | None = None
    region_id: RecordId | None = None
    year: int = Field(..., ge=2000, le=2100)
    month: Month
    metric: Metric
    realistic: Amount
    ideal: Amount | None = None


class TargetPatch(VersionedPatch):
    realistic: Amount = None
    ideal: Amount = None


register_crud(
    router,
    model=Target,
    prefix="targets",
    out_schema=TargetOut,
    create_schema=TargetIn,
    update_schema=TargetPatch,
    save=versioned_save(target_row_save),
    delete=target_row_delete,
    can_write=partial(can_create, model=Target),
    can_write_object=can_write,
    search_fields=("metric", "person__code", "team__code", "region__code"),
    select_related=("person", "team", "region"),
    actor_aware=True,
    write_only=("version",),
)
