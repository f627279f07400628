"""Every user-visible string is translated into zh-Hans, and the committed .mo is current."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

SOURCE = Path(__file__).resolve().parent.parent / "src" / "salesorg"
PO = SOURCE / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _key(entry):
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def _translations(catalogue):
    return {
        _key(e): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in catalogue
        if e.msgid and not e.obsolete
    }


def test_every_zh_hans_entry_is_translated_and_none_is_fuzzy():
    catalogue = polib.pofile(str(PO))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert untranslated == [], f"untranslated: {untranslated[:20]}"
    assert fuzzy == [], f"fuzzy: {fuzzy[:20]}"


def test_the_committed_mo_matches_the_po():
    assert _translations(polib.mofile(str(MO))) == _translations(polib.pofile(str(PO)))


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (CI installs it)")
def test_no_string_in_the_code_is_missing_from_the_catalogue(tmp_path):
    # Extract the messages from a copy of the source, as `make messages` would.
    copy = tmp_path / "salesorg"
    shutil.copytree(SOURCE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    subprocess.run(
        [sys.executable, "-m", "salesorg.cli", "makemessages", "-l", "zh_Hans", "--no-location"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    extracted = polib.pofile(str(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    committed = {_key(e) for e in polib.pofile(str(PO)) if not e.obsolete}
    missing = [e.msgid for e in extracted if e.msgid and _key(e) not in committed]
    assert missing == [], f"run `make messages` and translate: {missing[:20]}"
