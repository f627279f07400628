"""Demo photos: a few shelf and storefront pictures on the demo reps' latest visits and on
their customers, drawn with Pillow when the demo is made (no picture is kept in the code)."""

from __future__ import annotations

import io
import random
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from salesorg.core.photos import photo_add
from salesorg.core.roles import Role
from salesorg.customers.models import Customer
from salesorg.sales.models import Visit

VISIT_CAPTIONS = ["货架陈列", "新品堆头", "签收单", "竞品价格牌"]
CUSTOMER_CAPTIONS = ["门头", "仓库"]


def _picture(rng: random.Random, *, storefront: bool) -> bytes:
    """A small JPEG: shelves of coloured boxes, or a shop front with its sign."""
    width, height = 640, 480
    picture = Image.new("RGB", (width, height), (236, 232, 224))
    draw = ImageDraw.Draw(picture)
    if storefront:
        draw.rectangle((40, 40, width - 40, 130), fill=(180, 30, 40))  # the sign
        draw.rectangle((120, 180, width - 120, height - 20), fill=(90, 110, 130))  # the door
        draw.rectangle((150, 210, width - 150, height - 40), fill=(170, 200, 220))
    else:
        for shelf in range(4):
            top = 30 + shelf * 110
            draw.rectangle((20, top + 90, width - 20, top + 100), fill=(120, 90, 60))
            left = 30
            while left < width - 60:
                box = rng.randint(30, 70)
                colour = tuple(rng.randint(40, 230) for _ in range(3))
                draw.rectangle((left, top + rng.randint(10, 40), left + box, top + 89), fill=colour)
                left += box + rng.randint(4, 12)
    output = io.BytesIO()
    picture.save(output, "JPEG", quality=80)
    return output.getvalue()


def demo_photos_create(*, company, seed: int, today: date) -> dict[str, int]:
    """Attach photos to the latest visits and the first customer of each demo rep login."""
    rng = random.Random(seed * 7919 + 18)
    made = 0
    for person in company.logins:
        person.refresh_from_db(fields=["user"])
        if person.role != Role.REP or person.user is None:
            continue
        visits = Visit.objects.filter(rep=person, visit_date__lte=today).order_by("-visit_date")
        for visit, caption in zip(visits[:2], rng.sample(VISIT_CAPTIONS, 2), strict=False):
            _attach(visit, caption, _picture(rng, storefront=False), person.user)
            made += 1
        customer = Customer.objects.filter(owner=person).order_by("code").first()
        if customer is not None:
            caption = rng.choice(CUSTOMER_CAPTIONS)
            _attach(customer, caption, _picture(rng, storefront=True), person.user)
            made += 1
    return {"photos": made}


def _attach(record, caption: str, content: bytes, user) -> None:
    upload = SimpleUploadedFile("demo.jpg", content, content_type="image/jpeg")
    photo_add(record=record, upload=upload, caption=caption, actor=user)
