"""The standards library (标准/制度) over the API: standards, new versions and their approval,
through the same services as the pages."""

from __future__ import annotations

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from salesorg.api.crud import ApiPagination, scoped_model
from salesorg.api.errors import Forbidden
from salesorg.api.types import RecordId
from salesorg.targets.models import (
    Standard,
    StandardVersion,
)
from salesorg.targets.permissions import can_write_library
from salesorg.targets.selectors.pdca import standard_list
from salesorg.targets.services.pdca import (
    standard_create,
    standard_version_add,
    standard_version_approve,
)

router = Router(tags=["targets"])


# ---------------------------------------------------------------- standards


class VersionOut(Schema):
    id: int
    number: int
    body: str
    effective_date: date | None
    approved_by_id: RecordId | None
    approved_at: datetime | None
    proposed_by_id: RecordId | None
    lesson_plan_id: RecordId | None


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
    effective_date: date


STANDARD = scoped_model("targets.Standard")


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
def standards_get(request, pk: int):
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
def standards_version_create(request, standard_id: int, payload: VersionIn):
    """Draft the next version of a standard: director and admin."""
    standard = get_object_or_404(Standard.objects.visible_to(request.user), pk=standard_id)
    if not can_write_library(request.user):
        raise Forbidden
    return 201, standard_version_add(standard=standard, body=payload.body, actor=request.user)


@router.post(
    "/standard-versions/{version_id}/approve",
    response=VersionOut,
    openapi_extra=STANDARD,
    operation_id="standard_version_approve",
)
def standards_version_approve(request, version_id: int, payload: ApproveIn):
    """Approve a draft version from an effective date; publishes the standard."""
    version = get_object_or_404(
        StandardVersion.objects.visible_to(request.user).select_related("standard"),
        pk=version_id,
    )
    if not can_write_library(request.user):
        raise Forbidden
    return standard_version_approve(
        version=version, actor=request.user, effective_date=payload.effective_date
    )
