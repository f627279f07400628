"""Where photos are kept: the media folder under SALESORG_HOME by default, an S3-compatible
bucket when SALESORG_MEDIA_S3_BUCKET is set (settings read in a process of their own)."""

import json
import os
import subprocess
import sys

from django.core.files.storage import FileSystemStorage

from salesorg.core.photos import photo_add
from tests.core.photo_images import picture_bytes, upload

SHOW_STORAGE = (
    "import json, salesorg.settings as s; "
    "print(json.dumps({'default': s.STORAGES['default'], 'media': str(s.MEDIA_ROOT)}))"
)


def _settings_with(tmp_path, **variables) -> dict:
    env = {**os.environ, "SALESORG_HOME": str(tmp_path), **variables}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", SHOW_STORAGE], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_by_default_photos_are_files_under_salesorg_home(tmp_path):
    found = _settings_with(tmp_path)

    assert found["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert found["media"] == str(tmp_path / "media")


def test_a_bucket_setting_keeps_them_in_private_s3_objects(tmp_path):
    found = _settings_with(
        tmp_path,
        SALESORG_MEDIA_S3_BUCKET="salesorg-photos",
        SALESORG_MEDIA_S3_ENDPOINT_URL="https://minio.example.com",
        SALESORG_MEDIA_S3_PREFIX="company-a",
    )

    assert found["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    options = found["default"]["OPTIONS"]
    assert options["bucket_name"] == "salesorg-photos"
    assert options["endpoint_url"] == "https://minio.example.com"
    assert options["location"] == "company-a"
    assert options["default_acl"] == "private" and options["querystring_auth"] is True


def test_on_the_file_system_a_photo_lands_in_the_media_folder(
    org_tree, org_records, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }

    photo = photo_add(
        record=org_records.visits["rep_east1a"],
        upload=upload(picture_bytes()),
        actor=org_tree.user("rep_east1a"),
    )

    assert isinstance(photo.image.storage, FileSystemStorage)
    assert (tmp_path / "media" / photo.image.name).is_file()
    assert (tmp_path / "media" / photo.thumbnail.name).is_file()
