"""Every user-visible string is translated into zh-Hans, and the committed .mo is current."""

import os
import re
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


# The English source words that ../shared/GLOSSARY.md lists under "Words that need a
# context": each reads two ways, so the catalogue may hold them only with a msgctxt.
GLOSSARY_CONTEXT_WORDS = (
    "Open",
    "Closed",
    "Value",
    "Amount",
    "Dismiss",
    "Dismissal",
    "Left",
    "Remaining",
    "Filed",
    "Title",
    "Job title",
    "Position",
    "Category",
    "Sales",
    "Rating",
    "Minutes",
    "Review",
    "Return",
    "Lead",
    "Leader",
    "Owner",
    "Issue",
    "Balance",
    "Credit",
    "Target",
    "Achievement",
    "Stage",
    "Won",
    "Lost",
    "Dormant",
    "Prospect",
    "Visit",
    "Coach",
    "Session",
    "Band",
    "Cap",
    "Due",
    "Overdue",
    "Ageing",
    "Collected",
    "Invoiced",
    "Draft",
    "Publish",
    "Approve",
    "Reject",
    "Promotion",
    "Recognition",
    "Decision maker",
    "Supporter",
    "Opponent",
    "Downgrade",
    "Root cause",
    "Action item",
    "Follow-up",
    "Provisional",
)

CJK = "\u3400-\u4dbf\u4e00-\u9fff"
PLACEHOLDER = re.compile(r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdif]|\{[^{}]*\}")
HALF_WIDTH_AFTER_CJK = re.compile(f"[{CJK}] ?[:(),;?!]|[(][{CJK}]")


def _entries():
    """The catalogue's live entries; fuzzy ones are reported by the test above."""
    return [e for e in polib.pofile(str(PO)) if e.msgid and not e.obsolete and not e.fuzzy]


def _msgstrs(entry):
    return [entry.msgstr, *entry.msgstr_plural.values()]


def test_glossary_context_words_are_only_used_with_a_context():
    words = {word.lower() for word in GLOSSARY_CONTEXT_WORDS}
    bare = [e.msgid for e in _entries() if not e.msgctxt and e.msgid.lower() in words]
    assert bare == [], f"give these a context (pgettext / translate ... context): {bare}"


def test_the_catalogue_has_a_context_for_each_glossary_word_it_uses():
    entries = _entries()
    words = {word.lower() for word in GLOSSARY_CONTEXT_WORDS}
    used = {e.msgid.lower() for e in entries if e.msgid.lower() in words}
    contexts = sum(1 for e in entries if e.msgctxt)
    assert contexts >= len(used)


def test_no_translation_writes_the_old_variant_of_zhang():
    wrong = [(e.msgid, s) for e in _entries() for s in _msgstrs(e) if "帐" in s]
    assert wrong == [], f"write 账, not 帐: {wrong}"


def test_chinese_text_uses_full_width_punctuation():
    wrong = [
        (e.msgid, s)
        for e in _entries()
        for s in _msgstrs(e)
        if HALF_WIDTH_AFTER_CJK.search(PLACEHOLDER.sub("", s))
    ]
    assert wrong == [], f"use ：，（）；？！ inside Chinese text: {wrong[:20]}"


def test_translations_keep_every_placeholder():
    def placeholders(text):
        return sorted(PLACEHOLDER.findall(text))

    wrong = [
        e.msgid for e in _entries() if e.msgstr and placeholders(e.msgstr) != placeholders(e.msgid)
    ]
    assert wrong == [], f"placeholders differ: {wrong[:20]}"
