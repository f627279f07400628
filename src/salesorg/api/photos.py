"""Photo endpoints (#18): attach a picture to a visit or a customer (multipart), list and read
the photos in scope, download one, delete one.

A photo is seen by whoever sees its record and added or deleted by whoever may (the record's
own rule, `core.photos.photos_may_attach`); hidden records and photos answer 404. The picture
is checked by the same service as on the pages (ValidationError → 400 naming the field `file`).
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, UploadedFile
from ninja.pagination import paginate

from salesorg.api.crud import ApiPagination, renamed_errors, scoped_model
from salesorg.api.errors import Forbidden
from salesorg.api.types import RecordId, optional_query
from salesorg.core.models import Photo
from salesorg.core.photos import (
    photo_add,
    photo_delete,
    photo_file_response,
    photo_record,
    photos_may_attach,
)
from salesorg.customers.models import Customer
from salesorg.sales.models import Visit

router = Router(tags=["photos"])
API_FIELD_NAMES = {"photo": "file"}
KINDS = {"sales.visit": "visit", "customers.customer": "customer"}


class PhotoOut(Schema):
    id: int
    kind: str
    visit_id: RecordId | None
    customer_id: RecordId | None
    caption: str
    width: int
    height: int
    size: int
    uploaded_by_id: RecordId | None
    uploaded_at: datetime
    file_url: str
    thumbnail_url: str

    @staticmethod
    def resolve_kind(photo: Photo) -> str:
        return KINDS.get(f"{photo.content_type.app_label}.{photo.content_type.model}", "")

    @staticmethod
    def resolve_visit_id(photo: Photo) -> int | None:
        return photo.object_id if PhotoOut.resolve_kind(photo) == "visit" else None

    @staticmethod
    def resolve_customer_id(photo: Photo) -> int | None:
        return photo.object_id if PhotoOut.resolve_kind(photo) == "customer" else None

    @staticmethod
    def resolve_file_url(photo: Photo) -> str:
        return f"/api/v1/photos/{photo.pk}/file"

    @staticmethod
    def resolve_thumbnail_url(photo: Photo) -> str:
        return f"/api/v1/photos/{photo.pk}/file?thumbnail=true"


def _photos(request):
    return Photo.objects.visible_to(request.user).select_related("content_type")


@router.get(
    "/photos",
    response=list[PhotoOut],
    openapi_extra=scoped_model("core.Photo"),
    operation_id="photo_list",
)
@paginate(ApiPagination)
def photo_list(
    request,
    visit_id: int | None = optional_query(),
    customer_id: int | None = optional_query(),
):
    """Photos in scope, newest first (of one visit or one customer with its id)."""
    photos = _photos(request)
    if visit_id is not None:
        photos = photos.of(Visit(pk=visit_id))
    if customer_id is not None:
        photos = photos.of(Customer(pk=customer_id))
    return photos


@router.get(
    "/photos/{pk}",
    response=PhotoOut,
    openapi_extra=scoped_model("core.Photo"),
    operation_id="photo_get",
)
def photo_get(request, pk: RecordId):
    """One photo's details."""
    return get_object_or_404(_photos(request), pk=pk)


@router.get(
    "/photos/{pk}/file",
    response={200: None},
    openapi_extra={
        **scoped_model("core.Photo"),
        "responses": {"200": {"description": "The picture (JPEG, PNG or WebP)."}},
    },
    operation_id="photo_file",
)
def photo_file(request, pk: RecordId, thumbnail: bool = False):
    """The picture itself (with `thumbnail=true` its small copy, a JPEG)."""
    photo = get_object_or_404(_photos(request), pk=pk)
    return photo_file_response(photo.thumbnail if thumbnail else photo.image)


@router.post(
    "/photos",
    response={201: PhotoOut},
    openapi_extra=scoped_model("core.Photo"),
    operation_id="photo_upload",
)
def photo_upload(
    request,
    file: File[UploadedFile],
    visit_id: Form[RecordId | None] = None,
    customer_id: Form[RecordId | None] = None,
    caption: Form[str] = "",
):
    """Attach a picture (multipart `file`) to the visit `visit_id` or the customer
    `customer_id` (one of them); larger than the set maximum side it is resized."""
    if (visit_id is None) == (customer_id is None):
        raise ValidationError({"visit_id": [_("Give visit_id or customer_id (one of them).")]})
    if visit_id is not None:
        record = get_object_or_404(Visit.objects.visible_to(request.user), pk=visit_id)
    else:
        record = get_object_or_404(Customer.objects.visible_to(request.user), pk=customer_id)
    if not photos_may_attach(request.user, record):
        raise Forbidden
    try:
        photo = photo_add(record=record, upload=file, caption=caption, actor=request.user)
    except ValidationError as error:
        raise renamed_errors(error, API_FIELD_NAMES) from error
    return 201, photo


@router.delete(
    "/photos/{pk}",
    response={204: None},
    openapi_extra=scoped_model("core.Photo"),
    operation_id="photo_delete",
)
def photo_remove(request, pk: RecordId):
    """Delete a photo (whoever may add photos to its record); its history keeps who did."""
    photo = get_object_or_404(_photos(request), pk=pk)
    record = photo_record(photo=photo, user=request.user)
    if record is None:
        raise Http404
    if not photos_may_attach(request.user, record):
        raise Forbidden
    photo_delete(photo=photo, actor=request.user)
    return 204, None
