"""The standards library (标准/制度) over the API: standards, draft revisions (new, promoted
from a PDCA lesson, edited by their author), their diff and approval, through the same
services as the pages and with the same rules (400 naming the field, 403, 404)."""

from __future__ import annotations

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from salesorg.api.crud import ApiPagination, scoped_model
from salesorg.api.errors import Forbidden
from salesorg.api.types import Day, RecordId
from salesorg.core.problems import Problems, reference_check
from salesorg.targets.models import (
    PdcaPlan,
    Standard,
    StandardCategory,
    StandardVersion,
)
from salesorg.targets.permissions import (
    can_edit_standard_draft,
    can_propose_standard,
    can_write_library,
)
from salesorg.targets.selectors.pdca import standard_list, standard_version_page
from salesorg.targets.services.pdca import (
    standard_create,
    standard_draft_update,
    standard_promote_lesson,
    standard_version_add,
    standard_version_approve,
)

router = Router(tags=["targets"])


# ---------------------------------------------------------------- standards


class VersionOut(Schema):
    id: int
    standard_id: RecordId
    number: int | None  # given at approval; None for a draft
    body: str
    effective_date: date | None
    approved_by_id: RecordId | None
    approved_at: datetime | None
    proposed_by_id: RecordId | None
    lesson_plan_id: RecordId | None
    based_on_id: RecordId | None


class DiffLineOut(Schema):
    kind: str  # same, added or removed
    text: str


class VersionDetailOut(VersionOut):
    compared_with_id: RecordId | None
    diff: list[DiffLineOut]


class StandardOut(Schema):
    id: int
    code: str
    title: str
    category: str
    is_published: bool
    versions: list[VersionOut] = Field(..., alias="visible_versions")


class StandardIn(Schema):
    code: str
    title: str
    category: str
    body: str


class VersionIn(Schema):
    body: str


class ApproveIn(Schema):
    effective_date: Day


class PromoteIn(Schema):
    standard_id: RecordId | None = None
    code: str = ""
    title: str = ""
    category: str = StandardCategory.OTHER


STANDARD = scoped_model("targets.Standard")
STANDARD_VERSION = scoped_model("targets.StandardVersion")


@router.get(
    "/standards", response=list[StandardOut], openapi_extra=STANDARD, operation_id="standard_list"
)
@paginate(ApiPagination)
def standards_list(request, category: str = "", search: str = ""):
    """The standards library: published standards (drafts for their writers)."""
    return standard_list(user=request.user, category=category, search=search)


@router.get(
    "/standards/{pk}", response=StandardOut, openapi_extra=STANDARD, operation_id="standard_get"
)
def standards_get(request, pk: RecordId):
    """One standard with the versions the caller may read."""
    return get_object_or_404(standard_list(user=request.user), pk=pk)


@router.post(
    "/standards",
    response={201: StandardOut},
    openapi_extra=STANDARD,
    operation_id="standard_create",
)
def standards_create(request, payload: StandardIn):
    """Write a new standard with its first (draft) version: director and admin."""
    if not can_write_library(request.user):
        raise Forbidden
    version = standard_create(actor=request.user, **payload.dict())
    return 201, get_object_or_404(standard_list(user=request.user), pk=version.standard_id)


@router.post(
    "/standards/{standard_id}/versions",
    response={201: VersionOut},
    openapi_extra=STANDARD,
    operation_id="standard_version_create",
)
def standards_version_create(request, standard_id: RecordId, payload: VersionIn):
    """Draft the next version of a standard: director and admin."""
    standard = get_object_or_404(Standard.objects.visible_to(request.user), pk=standard_id)
    if not can_write_library(request.user):
        raise Forbidden
    return 201, standard_version_add(standard=standard, body=payload.body, actor=request.user)


def _version(request, version_id: int) -> StandardVersion:
    return get_object_or_404(
        StandardVersion.objects.visible_to(request.user).select_related("standard"),
        pk=version_id,
    )


@router.get(
    "/standard-versions/{pk}",
    response=VersionDetailOut,
    openapi_extra=STANDARD_VERSION,
    operation_id="standard_version_get",
)
def standards_version_get(request, pk: RecordId):
    """One version with its line diff against the version it replaces (a draft: against the
    latest approved version)."""
    version = _version(request, pk)
    row = standard_version_page(version=version, user=request.user, today=timezone.localdate())[
        "row"
    ]
    version.compared_with_id = row.previous.pk if row.previous else None
    version.diff = row.diff
    return version


@router.post(
    "/standard-versions/{version_id}/edit",
    response=VersionOut,
    openapi_extra=STANDARD_VERSION,
    operation_id="standard_draft_edit",
)
def standards_draft_edit(request, version_id: RecordId, payload: VersionIn):
    """Change a draft's text: its author, director and admin."""
    version = _version(request, version_id)
    if not version.is_approved and not can_edit_standard_draft(request.user, version):
        raise Forbidden
    return standard_draft_update(version=version, body=payload.body, actor=request.user)


@router.post(
    "/standard-versions/{version_id}/approve",
    response=VersionOut,
    openapi_extra=STANDARD_VERSION,
    operation_id="standard_version_approve",
)
def standards_version_approve(request, version_id: RecordId, payload: ApproveIn):
    """Approve a draft version from an effective date; it gets the next number and the
    standard is published."""
    version = _version(request, version_id)
    if not can_write_library(request.user):
        raise Forbidden
    return standard_version_approve(
        version=version, actor=request.user, effective_date=payload.effective_date
    )


@router.post(
    "/pdca-plans/{plan_id}/promote",
    response={200: VersionOut, 201: VersionOut},
    openapi_extra=scoped_model("targets.PdcaPlan"),
    operation_id="pdca_plan_promote",
)
def pdca_plans_promote(request, plan_id: RecordId, payload: PromoteIn):
    """Promote a closed cycle's lesson: into a draft revision of `standard_id` (its text in
    force plus the lesson; 200 with the caller's open draft when there is one, the lesson
    added), or into the first draft of a new standard (code, title, category)."""
    plan = get_object_or_404(PdcaPlan.objects.visible_to(request.user), pk=plan_id)
    if not can_propose_standard(request.user, plan):
        raise Forbidden
    standard = None
    if payload.standard_id is not None:
        problems = Problems()
        reference_check(
            problems, field="standard_id", model=Standard, pk=payload.standard_id,
            actor=request.user,
        )  # fmt: skip
        problems.raise_if_any()
        standard = Standard.objects.visible_to(request.user).get(pk=payload.standard_id)
    drafts_before = set(
        StandardVersion.objects.visible_to(request.user)
        .filter(standard=standard, approved_by__isnull=True)
        .values_list("pk", flat=True)
    )
    version = standard_promote_lesson(
        plan=plan,
        actor=request.user,
        standard=standard,
        code=payload.code,
        title=payload.title,
        category=payload.category,
    )
    return (200 if version.pk in drafts_before else 201), version
