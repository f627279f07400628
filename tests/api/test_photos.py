"""The photo endpoints: upload (multipart), list, read, download and delete, scoped like the
visit or customer the photo belongs to."""

from __future__ import annotations

import io
import random

import pytest
from django.test import Client
from PIL import Image

from salesorg.api.models import ApiToken
from salesorg.core.models import Photo
from salesorg.core.photos import photo_add
from tests.core.photo_images import picture_bytes, upload

TEXT_AS_JPEG = b"just some notes, not a picture\n" * 40


def _api(org_tree, key) -> Client:
    _token, raw = ApiToken.objects.issue(user=org_tree.user(key))
    return Client(headers={"authorization": f"Bearer {raw}"})


@pytest.fixture
def visit(org_records):
    return org_records.visits["rep_east1a"]


def test_a_rep_uploads_a_photo_of_their_visit_and_reads_it_back(org_tree, visit):
    client = _api(org_tree, "rep_east1a")
    content = picture_bytes(320, 240)

    response = client.post(
        "/api/v1/photos",
        {"visit_id": visit.pk, "caption": "陈列", "file": upload(content)},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "visit" and body["visit_id"] == visit.pk
    assert body["customer_id"] is None
    assert (body["width"], body["height"], body["caption"]) == (320, 240, "陈列")
    listed = client.get("/api/v1/photos", {"visit_id": visit.pk}).json()
    assert listed["items"][0]["id"] == body["id"]  # newest first
    assert {item["id"] for item in listed["items"]} == set(
        Photo.objects.of(visit).values_list("pk", flat=True)
    )
    picture = client.get(body["file_url"])
    assert picture.status_code == 200 and picture["Content-Type"] == "image/jpeg"
    assert b"".join(picture.streaming_content) == content
    small = client.get(body["thumbnail_url"])
    assert Image.open(io.BytesIO(b"".join(small.streaming_content))).size == (320, 240)


def test_a_customer_photo_is_listed_with_its_customer(org_tree, org_records):
    customer = org_records.customers["rep_east1a"]
    client = _api(org_tree, "rep_east1a")

    response = client.post(
        "/api/v1/photos", {"customer_id": customer.pk, "file": upload(picture_bytes())}
    )

    assert response.status_code == 201
    assert response.json()["customer_id"] == customer.pk
    listed = client.get("/api/v1/photos", {"customer_id": customer.pk}).json()
    assert listed["items"][0]["id"] == response.json()["id"]
    assert listed["count"] == Photo.objects.of(customer).count()


def test_a_non_image_answers_400_naming_the_file_field(org_tree, visit):
    before = Photo.objects.count()
    response = _api(org_tree, "rep_east1a").post(
        "/api/v1/photos", {"visit_id": visit.pk, "file": upload(TEXT_AS_JPEG, "notes.jpg")}
    )

    assert response.status_code == 400
    assert response.json()["detail"] == [
        {
            "loc": ["body", "file"],
            "msg": "This file is not a photo: choose a JPEG, PNG or WebP picture.",
            "type": "value_error",
        }
    ]
    assert Photo.objects.count() == before


def test_a_photo_over_the_limit_answers_400(org_tree, visit, settings):
    settings.SALESORG_PHOTO_MAX_MB = 1
    content = _noise_png(700)
    assert len(content) > 1024 * 1024

    response = _api(org_tree, "rep_east1a").post(
        "/api/v1/photos", {"visit_id": visit.pk, "file": upload(content, "big.png", "image/png")}
    )

    assert response.status_code == 400
    assert response.json()["detail"][0]["msg"] == "The photo is larger than 1 MB."


def test_a_photo_larger_than_the_request_body_limit_still_uploads(org_tree, visit, settings):
    """A multipart upload is read as a form (files on disk), not whole as JSON: a 3 MB photo
    is not refused by DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB)."""
    content = _noise_png(1000)
    assert len(content) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    response = _api(org_tree, "rep_east1a").post(
        "/api/v1/photos", {"visit_id": visit.pk, "file": upload(content, "big.png", "image/png")}
    )

    assert response.status_code == 201, response.content


def test_visit_or_customer_one_of_them(org_tree, org_records, visit):
    client = _api(org_tree, "rep_east1a")
    both = {"visit_id": visit.pk, "customer_id": org_records.customers["rep_east1a"].pk}

    for fields in (both, {}):
        response = client.post("/api/v1/photos", {**fields, "file": upload(picture_bytes())})
        assert response.status_code == 400


def test_another_teams_rep_gets_404_everywhere(org_tree, visit):
    photo = photo_add(
        record=visit, upload=upload(picture_bytes()), actor=org_tree.user("rep_east1a")
    )
    outsider = _api(org_tree, "rep_north1a")
    before = Photo.objects.count()

    upload_answer = outsider.post(
        "/api/v1/photos", {"visit_id": visit.pk, "file": upload(picture_bytes())}
    )

    assert upload_answer.status_code == 404
    assert outsider.get(f"/api/v1/photos/{photo.pk}").status_code == 404
    assert outsider.get(f"/api/v1/photos/{photo.pk}/file").status_code == 404
    assert outsider.delete(f"/api/v1/photos/{photo.pk}").status_code == 404
    seen = {item["id"] for item in outsider.get("/api/v1/photos").json()["items"]}
    assert photo.pk not in seen
    assert Photo.objects.count() == before


def test_finance_sees_the_photo_but_may_not_delete_it_a_manager_may(org_tree, visit):
    photo = photo_add(
        record=visit, upload=upload(picture_bytes()), actor=org_tree.user("rep_east1a")
    )

    assert _api(org_tree, "finance").get(f"/api/v1/photos/{photo.pk}").status_code == 200
    assert _api(org_tree, "finance").delete(f"/api/v1/photos/{photo.pk}").status_code == 403
    assert _api(org_tree, "manager_east1").delete(f"/api/v1/photos/{photo.pk}").status_code == 204
    assert not Photo.objects.filter(pk=photo.pk).exists()
    deleted = Photo.history.get(id=photo.pk, history_type="-")
    assert deleted.history_user == org_tree.user("manager_east1")


def _noise_png(side: int) -> bytes:
    """A PNG of random pixels (it barely compresses: about 3 bytes a pixel)."""
    noise = Image.frombytes("RGB", (side, side), random.Random(side).randbytes(side * side * 3))
    output = io.BytesIO()
    noise.save(output, "PNG")
    return output.getvalue()
