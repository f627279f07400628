"""Visit purposes and their checklists (S2): read by everyone in the company, written by the
managers of the standards through the same services as the pages.

`steps` on a write is the whole checklist in order (an item with `id` keeps and edits that
step; one left out is removed, or kept inactive when visits answered it); a changed
checklist raises the purpose's `version`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from salesorg.api.crud import register_crud
from salesorg.api.errors import Forbidden
from salesorg.api.types import Day, RecordId
from salesorg.core.fields import CODE_LENGTH
from salesorg.sales.models import VisitPurpose
from salesorg.sales.permissions import can_manage_purposes, can_read_compliance
from salesorg.sales.selectors.compliance import ComplianceRow, compliance_report
from salesorg.sales.services.purposes import StepData, purpose_delete, purpose_save

router = Router(tags=["sales"])


class ChecklistStepOut(Schema):
    id: int
    position: int
    text: str
    text_en: str
    required: bool


class ChecklistStepIn(Schema):
    id: RecordId | None = None
    text: str = Field(..., max_length=200)
    text_en: str = Field("", max_length=200)
    required: bool = True


class VisitPurposeOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    active: bool
    version: int
    steps: list[ChecklistStepOut]

    @staticmethod
    def resolve_steps(purpose: VisitPurpose) -> list[dict]:
        steps = sorted(
            (s for s in purpose.steps.all() if s.active), key=lambda s: (s.position, s.pk)
        )
        return [
            {
                "id": s.pk,
                "position": s.position,
                "text": s.text,
                "text_en": s.text_en,
                "required": s.required,
            }
            for s in steps
        ]


class VisitPurposeIn(Schema):
    code: str = Field(..., min_length=1, max_length=CODE_LENGTH)
    name: str = Field(..., min_length=1, max_length=100)
    name_en: str = Field("", max_length=100)
    active: bool = True
    steps: list[ChecklistStepIn] = []


class VisitPurposePatch(Schema):
    code: str = Field(None, min_length=1, max_length=CODE_LENGTH)
    name: str = Field(None, min_length=1, max_length=100)
    name_en: str = Field(None, max_length=100)
    active: bool = None
    steps: list[ChecklistStepIn] = None


def _purpose_save(*, instance: VisitPurpose, actor, extra) -> VisitPurpose:
    steps = extra.get("steps")
    if steps is not None:
        steps = [
            StepData(
                text=step["text"],
                text_en=step.get("text_en") or "",
                required=step.get("required", True),
                step_id=step.get("id"),
            )
            for step in steps
        ]
    saved = purpose_save(purpose=instance, actor=actor, steps=steps)
    # read afresh: the steps prefetched with the record are the old checklist
    return VisitPurpose.objects.visible_to(actor).prefetch_related("steps").get(pk=saved.pk)


def _may_manage(user, instance=None) -> bool:
    return can_manage_purposes(user)


register_crud(
    router,
    model=VisitPurpose,
    prefix="visit-purposes",
    out_schema=VisitPurposeOut,
    create_schema=VisitPurposeIn,
    update_schema=VisitPurposePatch,
    save=_purpose_save,
    delete=purpose_delete,
    can_write=_may_manage,
    can_write_object=_may_manage,
    search_fields=("code", "name", "name_en"),
    prefetch_related=("steps",),
    actor_aware=True,
    write_only=("steps",),
)


# --- the compliance report ----------------------------------------------------------------------


class ReasonCount(Schema):
    reason: str
    count: int


class ComplianceRowOut(Schema):
    rep_id: RecordId | None
    team_id: RecordId | None
    visits: int
    visits_skipping: int
    steps_skipped: int
    compliance_rate: Decimal | None
    reasons: list[ReasonCount]


class ComplianceOut(Schema):
    date_from: date
    date_to: date
    reps: list[ComplianceRowOut]
    teams: list[ComplianceRowOut]
    total: ComplianceRowOut


def _row(row: ComplianceRow) -> dict:
    rate = row.compliance_rate
    return {
        "rep_id": row.rep.pk if row.rep else None,
        "team_id": row.team.pk if row.team else None,
        "visits": row.visits,
        "visits_skipping": row.visits_skipping,
        "steps_skipped": row.steps_skipped,
        "compliance_rate": None if rate is None else rate.quantize(Decimal("0.0001")),
        "reasons": [{"reason": reason, "count": count} for reason, count in row.top_reasons],
    }


@router.get(
    "/visit-compliance",
    response=ComplianceOut,
    operation_id="visit_compliance",
    openapi_extra={"x-scoped-rows": True},  # a computed table: tests/sales/test_compliance.py
)
def visit_compliance(request, date_from: Day, date_to: Day):
    """Required checklist steps skipped or answered "no" in the period, by rep and team, with
    the reasons given; in the caller's scope (a rep their own, a manager their team)."""
    if not can_read_compliance(request.user):
        raise Forbidden
    if date_to < date_from:
        raise ValidationError({"date_to": [_("The end date cannot be before the start date.")]})
    report = compliance_report(user=request.user, date_from=date_from, date_to=date_to)
    return {
        "date_from": report.date_from,
        "date_to": report.date_to,
        "reps": [_row(row) for row in report.reps],
        "teams": [_row(row) for row in report.teams],
        "total": _row(report.total),
    }
