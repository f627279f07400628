"""Backups keep the photos: their rows and their files, restored into a new database."""

import gzip
import io
import json

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from salesorg.core.models import Photo
from salesorg.core.photos import photo_add
from tests.core.photo_images import picture_bytes, upload
from tests.core.test_backup import empty_database_with_other_content_type_ids
from tests.factories import CustomerFactory, VisitFactory


def _read(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_the_photos_with_their_files(org_tree, tmp_path):
    rep = org_tree.people["rep_east1a"]
    visit = VisitFactory(code="VIS-PHOTO", customer=CustomerFactory(code="C-PHOTO", owner=rep))
    photo = photo_add(
        record=visit, upload=upload(picture_bytes(900, 600)), caption="货架", actor=rep.user
    )
    files = {name: _read(name) for name in (photo.image.name, photo.thumbnail.name)}
    path = tmp_path / "salesorg.backup.gz"
    out = io.StringIO()

    call_command("backup", str(path), stdout=out)
    empty_database_with_other_content_type_ids()  # a new database: other content-type ids
    for name in files:
        default_storage.delete(name)  # and a new media folder
    restored = io.StringIO()
    call_command("restore", str(path), stdout=restored)

    assert "and 2 files" in out.getvalue() and "and 2 files" in restored.getvalue()
    photo = Photo.objects.get(caption="货架")
    assert photo.record.code == "VIS-PHOTO"  # the content type translated to this database's
    assert {name: _read(name) for name in files} == files
    response = org_tree.client("rep_east1a").get(f"/photos/{photo.pk}/")
    assert b"".join(response.streaming_content) == files[photo.image.name]


@pytest.mark.django_db(transaction=True)
def test_a_photo_file_the_storage_lost_is_left_out_and_said(org_tree, tmp_path):
    rep = org_tree.people["rep_east1a"]
    visit = VisitFactory(customer=CustomerFactory(owner=rep))
    photo = photo_add(record=visit, upload=upload(picture_bytes()), actor=rep.user)
    default_storage.delete(photo.image.name)
    path = tmp_path / "salesorg.backup.gz"
    err = io.StringIO()

    call_command("backup", str(path), stdout=io.StringIO(), stderr=err)

    assert "1 files that records name were not in the storage." in err.getvalue()
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        names = [json.loads(line).get("file") for line in lines]
    assert photo.thumbnail.name in names and photo.image.name not in names
