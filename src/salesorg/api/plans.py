"""Planning endpoints: research notes, company goals and sales plans (scoped CRUD); the
targets grid, decomposition, publishing, mismatches, proposals and target history are in
api.plan_grid.

Amounts are exact decimals (strings in answers); units are keys such as `team-5` or
`company-0`. Service errors answer 400 naming the field (a grid cell is named by its key,
e.g. `person-7-3` for month 3 of person 7, `person-7-0` for the year).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from ninja import Field, Router, Schema

from salesorg.api.crud import register_crud, renamed_errors
from salesorg.api.types import Amount, Day, RecordId
from salesorg.customers.models import Customer
from salesorg.org.models import Region
from salesorg.targets.models import CompanyGoal, ResearchKind, ResearchNote, SalesPlan
from salesorg.targets.permissions import (
    can_change_research,
    can_plan,
    can_record_research,
    can_write_research,
)
from salesorg.targets.services.plans import (
    company_goal_delete,
    company_goal_save,
    research_note_delete,
    research_note_save,
    sales_plan_delete,
    sales_plan_save,
)

router = Router(tags=["plans"])


# --- research notes ---------------------------------------------------------------------------


class ResearchNoteOut(Schema):
    id: int
    kind: ResearchKind
    subject: str
    competitor: str
    product: str
    price: Decimal | None
    source: str
    observed_on: date
    notes: str
    author_id: RecordId | None
    region_ids: list[RecordId]
    customer_ids: list[RecordId]

    @staticmethod
    def resolve_region_ids(note: ResearchNote) -> list[int]:
        return [region.pk for region in note.regions.all()]

    @staticmethod
    def resolve_customer_ids(note: ResearchNote) -> list[int]:
        return [customer.pk for customer in note.customers.all()]


class ResearchNoteIn(Schema):
    kind: ResearchKind = ResearchKind.MARKET
    subject: str = Field(..., min_length=1, max_length=200)
    competitor: str = Field("", max_length=200)
    product: str = Field("", max_length=200)
    price: Amount | None = None
    source: str = Field("", max_length=200)
    observed_on: Day
    notes: str = ""
    region_ids: list[RecordId] = []
    customer_ids: list[RecordId] = []


class ResearchNotePatch(Schema):
    kind: ResearchKind = None
    subject: str = Field(None, min_length=1, max_length=200)
    competitor: str = Field(None, max_length=200)
    product: str = Field(None, max_length=200)
    price: Amount | None = None
    source: str = Field(None, max_length=200)
    observed_on: Day = None
    notes: str = None
    region_ids: list[RecordId] = None
    customer_ids: list[RecordId] = None


def _visible_ids(*, model, ids, user, field: str) -> list:
    """The objects of `ids` the user may see; an unknown or hidden id is a 400 on `field`."""
    found = list(model.objects.visible_to(user).filter(pk__in=ids))
    missing = sorted(set(ids) - {obj.pk for obj in found})
    if missing:
        raise ValidationError(
            {field: [f"{model._meta.verbose_name}: {', '.join(map(str, missing))}?"]}
        )
    return found


def _research_save(*, instance: ResearchNote, actor, extra: dict) -> ResearchNote:
    regions = customers = None
    if extra.get("region_ids") is not None:
        regions = _visible_ids(
            model=Region, ids=extra["region_ids"], user=actor, field="region_ids"
        )
    if extra.get("customer_ids") is not None:
        customers = _visible_ids(
            model=Customer, ids=extra["customer_ids"], user=actor, field="customer_ids"
        )
    try:
        return research_note_save(
            instance=instance, actor=actor, regions=regions, customers=customers
        )
    except ValidationError as error:
        raise renamed_errors(
            error, {"customers": "customer_ids", "regions": "region_ids"}
        ) from error


def _research_writable(user, note: ResearchNote) -> bool:
    """Leaders record any note, reps competitor notes; a note is changed by its author."""
    return can_record_research(user, note) if note.pk is None else can_change_research(user, note)


register_crud(
    router,
    model=ResearchNote,
    prefix="research-notes",
    out_schema=ResearchNoteOut,
    create_schema=ResearchNoteIn,
    update_schema=ResearchNotePatch,
    save=_research_save,
    delete=research_note_delete,
    can_write=can_write_research,
    can_write_object=_research_writable,
    search_fields=("subject", "competitor", "product", "source"),
    prefetch_related=("regions", "customers"),
    actor_aware=True,
    write_only=("region_ids", "customer_ids"),
)


# --- goals and plans --------------------------------------------------------------------------


class CompanyGoalOut(Schema):
    id: int
    year: int
    statement: str
    sales_goal: Decimal
    gross_margin_goal: Decimal
    research_note_ids: list[RecordId]

    @staticmethod
    def resolve_research_note_ids(goal: CompanyGoal) -> list[int]:
        return [note.pk for note in goal.research_notes.all()]


class CompanyGoalIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    statement: str = Field(..., min_length=1)
    sales_goal: Amount
    gross_margin_goal: Amount
    research_note_ids: list[RecordId] = []


class CompanyGoalPatch(Schema):
    year: int = Field(None, ge=2000, le=2100)
    statement: str = Field(None, min_length=1)
    sales_goal: Amount = None
    gross_margin_goal: Amount = None
    research_note_ids: list[RecordId] = None


def _notes(extra: dict, actor):
    ids = extra.get("research_note_ids")
    if ids is None:
        return None
    return _visible_ids(model=ResearchNote, ids=ids, user=actor, field="research_note_ids")


def _goal_save(*, instance: CompanyGoal, actor, extra: dict) -> CompanyGoal:
    return company_goal_save(instance=instance, actor=actor, research_notes=_notes(extra, actor))


register_crud(
    router,
    model=CompanyGoal,
    prefix="company-goals",
    out_schema=CompanyGoalOut,
    create_schema=CompanyGoalIn,
    update_schema=CompanyGoalPatch,
    save=_goal_save,
    delete=company_goal_delete,
    can_write=can_plan,
    prefetch_related=("research_notes",),
    actor_aware=True,
    write_only=("research_note_ids",),
)


class SalesPlanOut(Schema):
    id: int
    year: int
    title: str
    strategy: str
    status: str
    published_by_id: RecordId | None
    published_at: datetime | None
    research_note_ids: list[RecordId]
    ideal_uplift: Decimal | None = Field(
        None, description="% the proposed ideal is above the realistic (null: last year's ratio)"
    )

    @staticmethod
    def resolve_research_note_ids(plan: SalesPlan) -> list[int]:
        return [note.pk for note in plan.research_notes.all()]


class SalesPlanIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    title: str = Field(..., min_length=1, max_length=200)
    strategy: str = ""
    research_note_ids: list[RecordId] = []
    ideal_uplift: Decimal | None = Field(None, ge=0, le=1000, decimal_places=2)


class SalesPlanPatch(Schema):
    year: int = Field(None, ge=2000, le=2100)
    title: str = Field(None, min_length=1, max_length=200)
    strategy: str = None
    research_note_ids: list[RecordId] = None
    ideal_uplift: Decimal | None = Field(None, ge=0, le=1000, decimal_places=2)


def _plan_save(*, instance: SalesPlan, actor, extra: dict) -> SalesPlan:
    return sales_plan_save(instance=instance, actor=actor, research_notes=_notes(extra, actor))


register_crud(
    router,
    model=SalesPlan,
    prefix="sales-plans",
    out_schema=SalesPlanOut,
    create_schema=SalesPlanIn,
    update_schema=SalesPlanPatch,
    save=_plan_save,
    delete=sales_plan_delete,
    can_write=can_plan,
    select_related=("published_by",),
    prefetch_related=("research_notes",),
    actor_aware=True,
    write_only=("research_note_ids",),
)
