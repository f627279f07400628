"""Pictures for the photo tests, made with Pillow (no binary file is kept in the repository)."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def picture_bytes(width: int = 64, height: int = 48, *, fmt: str = "JPEG", exif=None) -> bytes:
    """An image of `width` × `height` pixels in `fmt` (JPEG, PNG, WEBP, GIF …)."""
    picture = Image.new("RGB", (width, height), (30, 120, 200))
    for x in range(0, width, 7):  # some detail, so that sizes are not trivial
        picture.putpixel((x, (x * 3) % height), (250, 250, 0))
    output = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    picture.save(output, fmt, **options)
    return output.getvalue()


def upload(content: bytes, name: str = "shelf.jpg", content_type: str = "image/jpeg"):
    """`content` as a browser uploads it."""
    return SimpleUploadedFile(name, content, content_type=content_type)
