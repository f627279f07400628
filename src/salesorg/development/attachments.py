"""Attachments of training materials: the accepted types, size and content checks."""

from __future__ import annotations

import os

from django.conf import settings
from django.utils.translation import gettext as _

from salesorg.core.problems import Problems

ATTACHMENT_TYPES = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".txt": (),
    ".md": (),
}


def attachment_max_bytes() -> int:
    """The largest attachment accepted (setting SALESORG_TRAINING_MAX_UPLOAD_MB, default 20)."""
    return int(getattr(settings, "SALESORG_TRAINING_MAX_UPLOAD_MB", 20)) * 1024 * 1024


def attachment_check(problems: Problems, upload) -> None:
    """Refuse an attachment of another type than the listed ones, or too large, or whose
    content does not match its extension."""
    name = os.path.basename(upload.name or "")
    extension = os.path.splitext(name)[1].lower()
    if extension not in ATTACHMENT_TYPES:
        problems.add(
            "attachment",
            _("Allowed file types: %(types)s.") % {"types": ", ".join(sorted(ATTACHMENT_TYPES))},
        )
        return
    if (upload.size or 0) > attachment_max_bytes():
        problems.add(
            "attachment",
            _("The file is larger than %(mb)d MB.") % {"mb": attachment_max_bytes() // 1048576},
        )
        return
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    signatures = ATTACHMENT_TYPES[extension]
    if signatures and not any(head.startswith(signature) for signature in signatures):
        problems.add("attachment", _("The file's content does not match its type."))
    if not signatures:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            if len(head) < 2048:  # a multi-byte character cut at the end is fine
                problems.add("attachment", _("A text file must be UTF-8 text."))
