"""Photos of visits and customers: what is accepted, who sees and deletes them, the pages."""

from __future__ import annotations

import io
import random

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from PIL import Image

from salesorg.core.models import Photo
from salesorg.core.photos import photo_add, photo_delete, photos_of
from salesorg.sales.services import visit_delete
from tests.core.photo_images import picture_bytes, upload
from tests.factories import CustomerFactory, VisitFactory

TEXT_AS_JPEG = "这不是照片，只是一段文字。\n".encode() * 20


def _theirs(org_records) -> list[int]:
    """The photos org_records comes with (tests/core/records.py)."""
    return [photo.pk for photo in org_records.extra["photos"].values()]


def _stored_picture(photo: Photo) -> Image.Image:
    with photo.image.open("rb") as handle:
        picture = Image.open(io.BytesIO(handle.read()))
        picture.load()
    return picture


def test_a_rep_attaches_a_photo_to_their_visit_and_its_history_says_who(org_tree, org_records):
    visit = org_records.visits["rep_east1a"]
    rep = org_tree.user("rep_east1a")

    photo = photo_add(record=visit, upload=upload(picture_bytes(640, 480)), actor=rep)

    assert (photo.width, photo.height) == (640, 480)
    assert photo.image.name.startswith("photos/") and photo.image.name.endswith(".jpg")
    with photo.thumbnail.open("rb") as handle:
        assert max(Image.open(handle).size) == 320
    assert photos_of(record=visit, user=rep).first() == photo  # newest first
    created = photo.history.get()
    assert created.history_type == "+" and created.history_user == rep


def test_a_photo_larger_than_the_maximum_side_is_resized_and_loses_its_location(
    org_tree, org_records, settings
):
    """Sent without the browser's resizing (an old phone, the API): the server resizes it and
    drops the picture's metadata (a phone's picture says where it was taken)."""
    settings.SALESORG_PHOTO_MAX_SIDE = 800
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make; a real phone adds GPS too
    content = picture_bytes(2000, 1000, exif=exif)
    visit = org_records.visits["rep_east1a"]

    photo = photo_add(record=visit, upload=upload(content), actor=org_tree.user("rep_east1a"))

    stored = _stored_picture(photo)
    assert stored.size == (800, 400) == (photo.width, photo.height)
    assert not stored.getexif()


@pytest.mark.parametrize(
    "content,name",
    [
        (TEXT_AS_JPEG, "shelf.jpg"),  # a text file renamed .jpg
        (picture_bytes(fmt="GIF"), "shelf.gif"),  # a picture, but not a type kept
        (picture_bytes(400, 300)[:600], "cut.jpg"),  # a JPEG cut short
        (b"RIFF\x00\x00\x00\x00WAVEfmt " + b"\x00" * 64, "sound.webp"),  # RIFF, not WebP
    ],
    ids=["text-renamed-jpg", "gif", "truncated-jpeg", "riff-not-webp"],
)
def test_a_file_that_is_not_a_photo_is_refused_naming_the_field(
    org_tree, org_records, content, name
):
    visit = org_records.visits["rep_east1a"]

    with pytest.raises(ValidationError) as refused:
        photo_add(record=visit, upload=upload(content, name), actor=org_tree.user("rep_east1a"))

    assert refused.value.message_dict == {
        "photo": ["This file is not a photo: choose a JPEG, PNG or WebP picture."]
    }
    assert not Photo.objects.of(visit).exclude(pk__in=_theirs(org_records)).exists()


def test_a_photo_over_the_size_limit_is_refused_with_the_limit(org_tree, org_records, settings):
    settings.SALESORG_PHOTO_MAX_MB = 1
    noise = Image.frombytes("RGB", (800, 800), random.Random(18).randbytes(800 * 800 * 3))
    output = io.BytesIO()
    noise.save(output, "PNG")
    assert output.tell() > 1024 * 1024

    with pytest.raises(ValidationError) as refused:
        photo_add(
            record=org_records.visits["rep_east1a"],
            upload=upload(output.getvalue(), "big.png", "image/png"),
            actor=org_tree.user("rep_east1a"),
        )

    assert refused.value.message_dict == {"photo": ["The photo is larger than 1 MB."]}


def test_png_and_webp_pictures_are_kept_as_they_are(org_tree, org_records):
    visit, rep = org_records.visits["rep_east1a"], org_tree.user("rep_east1a")
    png = picture_bytes(50, 40, fmt="PNG")
    webp = picture_bytes(50, 40, fmt="WEBP")

    first = photo_add(record=visit, upload=upload(png, "a.png", "image/png"), actor=rep)
    second = photo_add(record=visit, upload=upload(webp, "b.webp", "image/webp"), actor=rep)

    assert first.image.name.endswith(".png") and second.image.name.endswith(".webp")
    with first.image.open("rb") as handle:
        assert handle.read() == png


def test_photos_are_seen_with_their_record_and_hidden_from_another_team(org_tree, org_records):
    visit_photo = photo_add(
        record=org_records.visits["rep_east1a"],
        upload=upload(picture_bytes()),
        actor=org_tree.user("rep_east1a"),
    )
    customer_photo = photo_add(
        record=org_records.customers["rep_east1a"],
        upload=upload(picture_bytes()),
        actor=org_tree.user("rep_east1a"),
    )
    both = {visit_photo, customer_photo}

    def seen_by(key):
        return set(Photo.objects.visible_to(org_tree.user(key)).filter(pk__in=[p.pk for p in both]))

    assert seen_by("rep_east1a") == seen_by("manager_east1") == seen_by("head_east") == both
    assert seen_by("director") == seen_by("finance") == both  # finance sees sales records
    assert seen_by("rep_east2a") == seen_by("manager_north1") == seen_by("rep_former") == set()
    assert seen_by("trainer") == set()


def test_another_teams_rep_gets_404_for_the_photo_its_thumbnail_and_upload_page(
    org_tree, org_records
):
    visit = org_records.visits["rep_east1a"]
    photo = photo_add(
        record=visit, upload=upload(picture_bytes()), actor=org_tree.user("rep_east1a")
    )
    outsider = org_tree.client("rep_north1a")

    for url in (
        f"/photos/{photo.pk}/",
        f"/photos/{photo.pk}/thumbnail/",
        f"/photos/{photo.pk}/delete/",
        f"/sales/visits/{visit.pk}/photos/add/",
    ):
        assert outsider.get(url).status_code == 404, url
    assert outsider.post(f"/photos/{photo.pk}/delete/").status_code == 404
    assert Photo.objects.filter(pk=photo.pk).exists()


def test_the_photo_is_streamed_privately_to_whoever_sees_it(org_tree, org_records):
    content = picture_bytes(300, 200)
    photo = photo_add(
        record=org_records.visits["rep_east1a"],
        upload=upload(content),
        actor=org_tree.user("rep_east1a"),
    )

    response = org_tree.client("manager_east1").get(f"/photos/{photo.pk}/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, max-age=86400"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert org_tree.client("rep_east1a").get(f"/media/{photo.image.name}").status_code == 404


def test_a_manager_deletes_a_reps_photo_the_finance_clerk_may_not(
    org_tree, org_records, django_capture_on_commit_callbacks
):
    visit = org_records.visits["rep_east1a"]
    photo = photo_add(
        record=visit, upload=upload(picture_bytes()), actor=org_tree.user("rep_east1a")
    )
    names = [photo.image.name, photo.thumbnail.name]

    with pytest.raises(PermissionDenied):
        photo_delete(photo=photo, actor=org_tree.user("finance"))
    assert org_tree.client("finance").post(f"/photos/{photo.pk}/delete/").status_code == 403

    manager = org_tree.user("manager_east1")
    with django_capture_on_commit_callbacks(execute=True):
        response = org_tree.client("manager_east1").post(f"/photos/{photo.pk}/delete/")

    assert response.status_code == 302 and response["Location"].endswith("#photos")
    assert not Photo.objects.filter(pk=photo.pk).exists()
    deleted = Photo.history.filter(id=photo.pk, history_type="-").get()
    assert deleted.history_user == manager
    assert not any(default_storage.exists(name) for name in names)


def test_a_rep_adds_photos_to_their_own_customer_not_to_a_teammates(org_tree, org_records):
    own, teammates = org_records.customers["rep_east1a"], org_records.customers["rep_east1b"]
    client = org_tree.client("rep_east1a")

    assert client.get(f"/customers/{own.pk}/photos/add/").status_code == 200
    assert client.get(f"/customers/{teammates.pk}/photos/add/").status_code in (403, 404)
    with pytest.raises(PermissionDenied):
        photo_add(
            record=teammates, upload=upload(picture_bytes()), actor=org_tree.user("rep_east1a")
        )


def test_deleting_a_visit_deletes_its_photos_and_their_files(
    org_tree, django_capture_on_commit_callbacks
):
    visit = VisitFactory(customer=CustomerFactory(owner=org_tree.people["rep_east1a"]))
    photo = photo_add(
        record=visit, upload=upload(picture_bytes()), actor=org_tree.user("rep_east1a")
    )

    with django_capture_on_commit_callbacks(execute=True):
        visit_delete(visit=visit, actor=org_tree.user("director"))

    assert not Photo.objects.filter(pk=photo.pk).exists()
    assert not default_storage.exists(photo.image.name)


def test_the_visit_page_shows_thumbnails_and_a_camera_upload(org_tree, org_records):
    visit = org_records.visits["rep_east1a"]
    photo = photo_add(
        record=visit,
        upload=upload(picture_bytes()),
        caption="货架",
        actor=org_tree.user("rep_east1a"),
    )

    page = org_tree.client("rep_east1a").get(visit.get_absolute_url()).content.decode()

    assert f'src="/photos/{photo.pk}/thumbnail/"' in page
    assert 'alt="货架"' in page
    assert 'accept="image/*" capture="environment"' in page
    assert f'action="/sales/visits/{visit.pk}/photos/add/"' in page
    finance_page = org_tree.client("finance").get(visit.get_absolute_url()).content.decode()
    assert f'src="/photos/{photo.pk}/thumbnail/"' in finance_page
    assert "capture=" not in finance_page and f"/photos/{photo.pk}/delete/" not in finance_page


def test_the_customer_page_lists_its_photos(org_tree, org_records):
    customer = org_records.customers["rep_east1a"]
    photo = photo_add(
        record=customer, upload=upload(picture_bytes()), actor=org_tree.user("rep_east1a")
    )

    page = org_tree.client("manager_east1").get(customer.get_absolute_url()).content.decode()

    assert f'src="/photos/{photo.pk}/thumbnail/"' in page
    assert f'href="/photos/{photo.pk}/delete/"' in page


def test_uploading_from_the_page_saves_the_photo_and_returns_to_the_record(org_tree, org_records):
    visit = org_records.visits["rep_east1a"]
    client = org_tree.client("rep_east1a")

    response = client.post(
        f"/sales/visits/{visit.pk}/photos/add/",
        {"photo": upload(picture_bytes()), "caption": "门头"},
    )

    assert response.status_code == 302
    assert response["Location"] == visit.get_absolute_url() + "#photos"
    assert Photo.objects.of(visit).exclude(pk__in=_theirs(org_records)).get().caption == "门头"


def test_a_non_image_from_the_page_is_shown_again_with_the_fields_error(org_tree, org_records):
    visit = org_records.visits["rep_east1a"]
    client = org_tree.client("rep_east1a")

    response = client.post(
        f"/sales/visits/{visit.pk}/photos/add/", {"photo": upload(TEXT_AS_JPEG, "note.jpg")}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Photo: This file is not a photo: choose a JPEG, PNG or WebP picture." in page
    assert not Photo.objects.of(visit).exclude(pk__in=_theirs(org_records)).exists()


def test_the_photos_card_reads_the_same_queries_for_one_photo_or_six(
    org_tree, org_records, django_assert_max_num_queries
):
    visit = org_records.visits["rep_east1a"]
    rep, client = org_tree.user("rep_east1a"), org_tree.client("rep_east1a")
    client.get(visit.get_absolute_url())  # warm caches (content types, the session)
    with django_assert_max_num_queries(60) as one:
        assert client.get(visit.get_absolute_url()).status_code == 200

    for _ in range(5):
        photo_add(record=visit, upload=upload(picture_bytes()), actor=rep)
    with django_assert_max_num_queries(len(one)):
        page = client.get(visit.get_absolute_url()).content.decode()

    assert page.count("/thumbnail/") == Photo.objects.of(visit).count() == 6
