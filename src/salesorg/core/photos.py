"""Photos of records (照片): the checks of an upload, its resizing, and attaching, listing and
deleting photos of the records that apps register (`register_photo_target`).

The browser resizes a camera picture before sending it (static/salesorg/photos.js); the server
still checks that the file is an image of an accepted type (its first bytes and Pillow's
reading of it), refuses one larger than SALESORG_PHOTO_MAX_MB, and resizes one whose long side
is over SALESORG_PHOTO_MAX_SIDE pixels (sent without the script), dropping its metadata (a
phone's picture carries where it was taken). A small copy is kept for lists.
"""

from __future__ import annotations

import io
import mimetypes
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from salesorg.core.models import Photo
from salesorg.core.problems import Problems
from salesorg.core.registry import photo_targets, register_photo_target

if TYPE_CHECKING:
    # Pillow is imported where a photo is read: apps register photo targets at start-up, and
    # every command from the shell paid for the library (a fiftieth of a second) otherwise.
    from PIL import Image

# Pillow's format → the first bytes of such a file and the file extension kept.
PHOTO_FORMATS = {
    "JPEG": ((b"\xff\xd8\xff",), ".jpg"),
    "PNG": ((b"\x89PNG\r\n\x1a\n",), ".png"),
    "WEBP": ((b"RIFF",), ".webp"),
}
THUMBNAIL_SIDE = 320
JPEG_QUALITY = 85
FIELD = "photo"


def photo_max_bytes() -> int:
    """The largest photo accepted (setting SALESORG_PHOTO_MAX_MB, default 10)."""
    return int(getattr(settings, "SALESORG_PHOTO_MAX_MB", 10)) * 1024 * 1024


def photo_max_side() -> int:
    """The longest side a stored photo has, in pixels (SALESORG_PHOTO_MAX_SIDE, default 1600)."""
    return int(getattr(settings, "SALESORG_PHOTO_MAX_SIDE", 1600))


@dataclass(frozen=True)
class CheckedPhoto:
    """An accepted upload: the bytes to store, their extension and the picture's size."""

    content: bytes
    extension: str
    width: int
    height: int


def photo_check(problems: Problems, upload, *, field: str = FIELD) -> CheckedPhoto | None:
    """Refuse (naming `field`) a file that is too large or not a JPEG, PNG or WebP picture;
    return the picture to store, resized to the maximum side if it is larger."""
    limit = photo_max_bytes()
    if upload is None:
        problems.add(field, _("Choose a photo."))
        return None
    if (upload.size or 0) > limit:
        problems.add(
            field, _("The photo is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)}
        )
        return None
    upload.seek(0)
    content = upload.read(limit + 1)
    upload.seek(0)
    picture = _picture(content)
    if picture is None:
        problems.add(field, _("This file is not a photo: choose a JPEG, PNG or WebP picture."))
        return None
    return _stored(content, picture)


def _picture(content: bytes) -> Image.Image | None:
    """The picture in `content` when its first bytes and Pillow agree on an accepted type."""
    from PIL import Image, UnidentifiedImageError

    signature = next(
        (name for name, (heads, _ext) in PHOTO_FORMATS.items() if content.startswith(heads)),
        None,
    )
    if signature is None or (signature == "WEBP" and content[8:12] != b"WEBP"):
        return None
    try:
        with Image.open(io.BytesIO(content)) as probe:
            probe.verify()  # the structure, without decoding every pixel
        picture = Image.open(io.BytesIO(content))
        picture.load()  # the pixels too: a cut-off file fails here
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    return picture if picture.format == signature else None


def _stored(content: bytes, picture: Image.Image) -> CheckedPhoto:
    """The bytes to keep: the upload itself when small and without metadata, else re-encoded."""
    from PIL import Image, ImageOps

    extension = PHOTO_FORMATS[str(picture.format)][1]
    biggest = photo_max_side()
    metadata = bool(picture.getexif()) or "exif" in picture.info
    if max(picture.size) <= biggest and not metadata:
        return CheckedPhoto(content, extension, *picture.size)
    picture = ImageOps.exif_transpose(picture)
    picture.thumbnail((biggest, biggest), Image.Resampling.LANCZOS)
    output = io.BytesIO()
    if extension == ".png":  # a screenshot or drawing stays sharp
        picture.save(output, "PNG", optimize=True)
    else:
        picture.convert("RGB").save(output, "JPEG", quality=JPEG_QUALITY, optimize=True)
        extension = ".jpg"
    return CheckedPhoto(output.getvalue(), extension, *picture.size)


def _thumbnail(content: bytes) -> bytes:
    """A small JPEG copy of the picture for lists."""
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(content)) as picture:
        small = ImageOps.exif_transpose(picture)
        small.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
        output = io.BytesIO()
        small.convert("RGB").save(output, "JPEG", quality=80, optimize=True)
    return output.getvalue()


# --- who may do what --------------------------------------------------------------------------


def photo_target_rule(record: models.Model | type[models.Model]):
    """The rule of who may attach photos to a record (or a model's records), or None when its
    kind takes no photos."""
    return photo_targets().get(record._meta.label_lower)


def photos_may_attach(user, record: models.Model) -> bool:
    """May `user` (who sees `record`) add photos to it and delete its photos?"""
    rule = photo_target_rule(record)
    return bool(rule and user.is_authenticated and rule(user, record))


def photo_record(*, photo: Photo, user) -> models.Model | None:
    """The record a photo is attached to, looked up in `user`'s scope (None: not seen)."""
    model = photo.content_type.model_class()
    if model is None or photo_target_rule(model) is None:
        return None
    records = model.objects.visible_to(user)  # type: ignore[attr-defined]
    return records.filter(pk=photo.object_id).first()


# --- reads --------------------------------------------------------------------------------------


def photos_of(*, record: models.Model, user) -> models.QuerySet[Photo]:
    """The photos of `record` that `user` sees, newest first (none for an unseen record)."""
    return Photo.objects.visible_to(user).of(record).select_related("uploaded_by")


# --- writes -------------------------------------------------------------------------------------


@transaction.atomic
def photo_add(*, record: models.Model, upload, actor, caption: str = "") -> Photo:
    """Attach the uploaded picture to `record` (found in the actor's scope), after its checks;
    a refused file raises ValidationError naming the field "photo"."""
    if not photos_may_attach(actor, record):
        raise PermissionDenied
    problems = Problems()
    checked = photo_check(problems, upload)
    caption = (caption or "").strip()
    if len(caption) > 200:
        problems.add("caption", _("Ensure this value has at most 200 characters."))
    problems.raise_if_any()
    assert checked is not None
    name = uuid.uuid4().hex
    photo = Photo(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        width=checked.width,
        height=checked.height,
        size=len(checked.content),
        caption=caption,
        uploaded_by=actor if actor.pk else None,
    )
    photo._history_user = actor if actor.pk else None  # type: ignore[attr-defined]
    photo.image.save(name + checked.extension, ContentFile(checked.content), save=False)
    photo.thumbnail.save(name + ".jpg", ContentFile(_thumbnail(checked.content)), save=False)
    try:
        photo.save()
    except Exception:
        _files_delete(photo)
        raise
    return photo


@transaction.atomic
def photo_delete(*, photo: Photo, actor) -> None:
    """Delete a photo (its history keeps who deleted it); its files go once that is saved."""
    record = photo_record(photo=photo, user=actor)
    if record is None:
        raise PermissionDenied
    if not photos_may_attach(actor, record):
        raise PermissionDenied
    photo._history_user = actor  # type: ignore[attr-defined]
    photo.delete()


def _files_delete(photo: Photo) -> None:
    """Delete a photo's files from the storage."""
    for file in (photo.image, photo.thumbnail):
        if file.name:
            file.storage.delete(file.name)


def _delete_files(sender, instance: Photo, **kwargs) -> None:
    """Delete a deleted photo's files once its transaction is committed."""
    transaction.on_commit(lambda: _files_delete(instance))


def _delete_photos_of(sender, instance: models.Model, **kwargs) -> None:
    """A deleted record's photos go with it."""
    for photo in Photo.objects.of(instance):
        photo.delete()


post_delete.connect(_delete_files, sender=Photo, dispatch_uid="salesorg.photo_files")


def photo_target_register(model: str, *, may_attach) -> None:
    """Let photos be attached to records of `model` ("app_label.ModelName"), added and deleted
    by whoever `may_attach(user, record)` allows; a deleted record's photos go with it."""
    register_photo_target(model, may_attach=may_attach)
    post_delete.connect(
        _delete_photos_of, sender=model, weak=False, dispatch_uid=f"salesorg.photos:{model}"
    )


def photo_file_response(file) -> FileResponse:
    """A stored picture (a photo's image or thumbnail) streamed with headers that keep it
    private and never let a browser run it; 404 when the file has gone from the storage."""
    try:
        handle = file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
