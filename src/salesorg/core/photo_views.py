"""Pages of photos: attach one to a record, show a photo or its small copy to whoever sees
the record (streamed from the storage, never a public media URL), delete one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from salesorg.core.models import Photo
from salesorg.core.photo_forms import PhotoForm
from salesorg.core.photos import (
    photo_add,
    photo_delete,
    photo_file_response,
    photo_max_bytes,
    photo_max_side,
    photo_record,
    photos_may_attach,
)
from salesorg.core.views import ScopedObjectMixin


class PhotoAdd(ScopedObjectMixin, View):
    """Attach a photo to the page's record: the form, and the upload (re-shown with its
    errors). Apps subclass it with the record's `model` and route it by the record's pk."""

    record_permission = staticmethod(photos_may_attach)
    permission_model: type[Model] | None = None  # whose write right it is, when not `model`

    def _record(self, pk: int) -> Model:
        record = get_object_or_404(self.get_queryset(), pk=pk)
        if not self.record_permission(self.request.user, record):
            raise PermissionDenied
        return record

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(self._record(pk), PhotoForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = self._record(pk)
        form = PhotoForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                photo_add(
                    record=record,
                    upload=form.cleaned_data["photo"],
                    caption=form.cleaned_data["caption"],
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Photo saved."))
                return redirect(record.get_absolute_url() + "#photos")  # type: ignore[attr-defined]
        return self._render(record, form)

    def _render(self, record: Model, form: PhotoForm) -> HttpResponse:
        context = {
            "record": record,
            "form": form,
            "add_url": self.request.path,
            "max_side": photo_max_side(),
            "max_mb": photo_max_bytes() // (1024 * 1024),
        }
        return render(self.request, "core/photo_add.html", context)


class PhotoFile(ScopedObjectMixin, View):
    """A photo's picture (or `variant` "thumbnail": its small copy) for whoever sees its
    record, streamed from the storage with headers that keep it private."""

    model = Photo
    variant = "image"

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        photo = get_object_or_404(self.get_queryset(), pk=pk)
        return photo_file_response(getattr(photo, self.variant))


class PhotoThumbnail(PhotoFile):
    """A photo's small copy, for lists of thumbnails."""

    variant = "thumbnail"


class PhotoDelete(ScopedObjectMixin, View):
    """A photo with the question whether to delete it (asked only of those who may); the
    deletion, written in its history."""

    model = Photo

    def _photo(self, pk: int) -> tuple[Photo, Model]:
        photo = get_object_or_404(self.get_queryset().select_related("uploaded_by"), pk=pk)
        record = photo_record(photo=photo, user=self.request.user)
        if record is None:
            raise Http404
        return photo, record

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        photo, record = self._photo(pk)
        context = {
            "photo": photo,
            "record": record,
            "may_delete": photos_may_attach(request.user, record),
        }
        return render(request, "core/photo_delete.html", context)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        photo, record = self._photo(pk)
        photo_delete(photo=photo, actor=request.user)
        messages.success(request, _("Photo deleted."))
        return redirect(record.get_absolute_url() + "#photos")  # type: ignore[attr-defined]
