"""Receivables ageing of a unit, scoped like the receivables dashboard.

The open receivables of the unit's invoices at the end of `as_of` (KPI.md, Receivables:
invoices and their payments are credited by the invoice's person and date) by age of the
invoice in days, counted to `as_of` or to today when `as_of` is later. Amounts are
strings in the canonical text of KPI.md. A unit outside the caller's scope answers 404,
exactly as the dashboard page does.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from salesorg.api.types import Day, RecordId
from salesorg.performance.charts.tables import DashboardNotFound
from salesorg.performance.selectors.dashboards import unit_ageing

router = Router(tags=["dashboards"])


class UnitAgeingQuery(Schema):
    level: Literal["company", "region", "team", "person"] | None = Field(
        None, description="company, region, team or person (default: the highest one seen)"
    )
    unit: RecordId | None = Field(None, description="id of the region, team or person")
    as_of: Day | None = Field(None, description="the day whose end is shown; default today")


class UnitAgeBucketOut(Schema):
    label: str
    low: int = Field(..., description="youngest age in the bucket, in days")
    high: int | None = Field(..., description="oldest age in the bucket; null: and older")
    amount: str


class UnitAgeingOut(Schema):
    level: str
    unit: int | None
    code: str
    name: str
    as_of: date
    reference: date = Field(..., description="the day ages are counted to (as_of or today)")
    buckets: list[UnitAgeBucketOut]
    total: str


@router.get(
    "/receivables/ageing",
    response=UnitAgeingOut,
    openapi_extra={"x-scoped-rows": True},
    operation_id="receivables_ageing",
)
def receivables_ageing(request, query: Query[UnitAgeingQuery]):
    """Open receivables of a unit the caller may see by age of the invoice (else 404)."""
    today = timezone.localdate()
    if query.level not in (None, "company") and query.unit is None:
        raise Http404
    try:
        ageing = unit_ageing(
            user=request.user,
            level=query.level,
            unit_id=query.unit,
            as_of=query.as_of or today,
            today=today,
        )
    except DashboardNotFound as error:
        raise Http404 from error
    return {
        "level": ageing.unit.level,
        "unit": ageing.unit.id,
        "code": ageing.unit.code,
        "name": ageing.unit.name,
        "as_of": ageing.as_of,
        "reference": ageing.reference,
        "buckets": [
            {"label": b.label, "low": b.low, "high": b.high, "amount": str(b.amount)}
            for b in ageing.buckets
        ],
        "total": str(ageing.total),
    }
