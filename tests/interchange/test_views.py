"""The import screen: administrators upload files and see problems or a summary."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from salesorg.core.roles import Role
from salesorg.org.models import Person, Region
from tests.factories import PersonFactory, login_for
from tests.interchange.helpers import snapshot
from tests.interchange.sample import SAMPLE

pytestmark = pytest.mark.django_db
URL = "/interchange/import/"


def _client(role: str) -> Client:
    client = Client()
    client.force_login(login_for(PersonFactory(code=f"WEB-{role}", role=role)))
    return client


def _zip(files: dict[str, str]) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(f"export/{name}", text)
    return SimpleUploadedFile("data.zip", buffer.getvalue(), content_type="application/zip")


def _csv(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_the_screen_needs_a_login():
    response = Client().get(URL)
    assert response.status_code == 302


@pytest.mark.parametrize("role", [Role.REP, Role.MANAGER, Role.DIRECTOR, Role.FINANCE])
def test_non_admins_are_refused(role):
    client = _client(role)
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"files": [_csv("regions.csv", "code,name\nX,Y\n")]})
    assert response.status_code == 403
    assert not Region.objects.exists()


def test_admin_sees_the_upload_form():
    response = _client(Role.ADMIN).get(URL)
    assert response.status_code == 200
    assert 'type="file"' in response.content.decode()


def test_admin_uploads_a_zip_and_sees_the_summary():
    response = _client(Role.ADMIN).post(URL, {"files": [_zip(SAMPLE)]})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="import-summary"' in page
    assert "customers.csv" in page
    assert Person.objects.filter(code="REP-E1A").exists()
    history = Person.objects.get(code="REP-E1A").history.first()
    assert history.history_user.username == f"WEB-{Role.ADMIN}"


def test_admin_sees_every_problem_of_a_bad_file_and_nothing_is_written():
    client = _client(Role.ADMIN)
    before = snapshot()
    bad = "code,name\nEAST,\nNORTH,华北\nNORTH,again\n"
    response = client.post(
        URL, {"files": [_csv("regions.csv", bad), _csv("teams.csv", SAMPLE["teams.csv"])]}
    )
    page = response.content.decode()
    assert 'id="import-problems"' in page
    assert "2 problems found; nothing was written." in page
    assert "<td>regions.csv</td>" in page
    assert '<td class="text-end">2</td>' in page and "<td>name</td>" in page
    assert "A value is required." in page
    assert "Duplicate code “NORTH”" in page
    assert snapshot() == before


def test_dry_run_from_the_screen_writes_nothing():
    response = _client(Role.ADMIN).post(URL, {"files": [_zip(SAMPLE)], "dry_run": "on"})
    assert "Dry run: no problems found; nothing was written." in response.content.decode()
    assert not Region.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (_csv("notes.txt", "hello"), "neither a .zip nor a .csv file"),
        (_csv("clients.csv", "code\n"), "is not an interchange file"),
        (SimpleUploadedFile("data.zip", b"not a zip"), "not a valid .zip archive"),
    ],
    ids=["wrong-type", "unknown-csv-name", "broken-zip"],
)
def test_bad_uploads_get_a_clear_message(upload, message):
    response = _client(Role.ADMIN).post(URL, {"files": [upload]})
    assert message in response.content.decode()
    assert 'id="import-summary"' not in response.content.decode()


def test_an_upload_over_the_limit_is_refused(settings):
    settings.SALESORG_IMPORT_MAX_UPLOAD_MB = 0
    response = _client(Role.ADMIN).post(URL, {"files": [_zip(SAMPLE)]})
    assert "at most 0 MB is accepted" in response.content.decode()
    assert not Region.objects.exists()
