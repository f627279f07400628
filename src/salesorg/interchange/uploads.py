"""Uploaded interchange files: check their names, type and size, and unpack them into a folder."""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from salesorg.interchange.files import FILENAMES

COPY_CHUNK = 1024 * 1024


def max_upload_bytes() -> int:
    """The largest upload accepted (setting SALESORG_IMPORT_MAX_UPLOAD_MB, default 100 MB)."""
    return int(getattr(settings, "SALESORG_IMPORT_MAX_UPLOAD_MB", 100)) * 1024 * 1024


def max_unpacked_bytes() -> int:
    """The most a zip may unpack to (ten times the upload limit)."""
    return 10 * max_upload_bytes()


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def _unknown_name(name: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s” is not an interchange file; expected some of: %(names)s.")
        % {"name": name, "names": ", ".join(FILENAMES)}
    )


def _zip_members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """The CSV members of a zip by file name (folders inside the zip are ignored)."""
    members: dict[str, zipfile.ZipInfo] = {}
    for info in archive.infolist():
        path = PurePosixPath(info.filename)
        if info.is_dir() or path.name.startswith(".") or "__MACOSX" in path.parts:
            continue
        if path.suffix.lower() != ".csv":
            continue
        if path.name not in FILENAMES:
            raise _unknown_name(path.name)
        if path.name in members:
            raise ValidationError(_("The zip holds %(name)s twice.") % {"name": path.name})
        members[path.name] = info
    return members


def upload_check(*, files: list[UploadedFile]) -> None:
    """Refuse an upload that is not one .zip or some interchange .csv files, or is too large."""
    if not files:
        raise ValidationError(_("Choose a .zip file or one or more .csv files."))
    total = sum(upload.size or 0 for upload in files)
    if total > max_upload_bytes():
        raise ValidationError(
            _(
                "The upload is %(size)s MB; at most %(limit)s MB is accepted here. Use the command "
                "`salesorg import` for larger data sets."
            )
            % {"size": _megabytes(total), "limit": _megabytes(max_upload_bytes())}
        )
    names = [Path(upload.name or "").name for upload in files]
    zips = [name for name in names if name.lower().endswith(".zip")]
    if zips:
        if len(files) > 1:
            raise ValidationError(_("Upload either one .zip file or .csv files, not both."))
        _check_zip(files[0])
        return
    seen: set[str] = set()
    for name in names:
        if not name.lower().endswith(".csv"):
            raise ValidationError(
                _("“%(name)s” is neither a .zip nor a .csv file.") % {"name": name}
            )
        if name not in FILENAMES:
            raise _unknown_name(name)
        if name in seen:
            raise ValidationError(_("%(name)s is uploaded twice.") % {"name": name})
        seen.add(name)


def _check_zip(upload: UploadedFile) -> None:
    try:
        with zipfile.ZipFile(upload) as archive:
            members = _zip_members(archive)
    except zipfile.BadZipFile as error:
        raise ValidationError(_("The file is not a valid .zip archive.")) from error
    finally:
        upload.seek(0)
    if not members:
        raise ValidationError(_("The zip holds no interchange .csv file."))
    unpacked = sum(info.file_size for info in members.values())
    if unpacked > max_unpacked_bytes():
        raise ValidationError(
            _("The zip unpacks to %(size)s MB; at most %(limit)s MB is accepted.")
            % {"size": _megabytes(unpacked), "limit": _megabytes(max_unpacked_bytes())}
        )


def upload_unpack(*, files: list[UploadedFile], folder: Path) -> None:
    """Write the uploaded CSV files (or the CSV files inside the uploaded zip) into a folder."""
    names = [Path(upload.name or "").name for upload in files]
    if len(files) == 1 and names[0].lower().endswith(".zip"):
        with zipfile.ZipFile(files[0]) as archive:
            budget = max_unpacked_bytes()
            for name, info in _zip_members(archive).items():
                with archive.open(info) as source, (folder / name).open("wb") as target:
                    while chunk := source.read(COPY_CHUNK):
                        budget -= len(chunk)
                        if budget < 0:
                            raise ValidationError(_("The zip unpacks to more than is accepted."))
                        target.write(chunk)
        return
    for name, upload in zip(names, files, strict=True):
        with (folder / name).open("wb") as target:
            for chunk in upload.chunks():
                target.write(chunk)
