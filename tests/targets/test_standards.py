"""Standards as revisions: a promoted lesson opens a draft of the text in force, the draft is
edited by its author, approval shows the diff and keeps the old version readable."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from salesorg.targets.models import StandardVersion
from salesorg.targets.selectors.pdca import (
    standard_current_version,
    standard_diff,
    standard_history,
    standard_versions,
)
from salesorg.targets.services.pdca import (
    standard_create,
    standard_draft_update,
    standard_promote_lesson,
    standard_version_add,
    standard_version_approve,
)
from tests.targets.test_pdca import closed_plan

IN_FORCE = "每位销售代表每天拜访不少于四家客户。\n拜访后当天录入系统。"


def visit_standard(org_tree):
    """STD-VISIT with version 1 in force since 2026-01-01."""
    director = org_tree.user("director")
    first = standard_create(
        code="STD-VISIT", title="客户拜访标准", category="sales_process", body=IN_FORCE,
        actor=director,
    )  # fmt: skip
    standard_version_approve(version=first, actor=director, effective_date=date(2026, 1, 1))
    first.refresh_from_db()
    return first.standard, first


def test_promoting_a_lesson_keeps_the_text_in_force_and_adds_the_lesson(org_tree):
    # given STD-VISIT in force and a closed cycle with a lesson
    standard, first = visit_standard(org_tree)
    plan = closed_plan(org_tree)
    manager = org_tree.user("manager_east1")
    # when the manager promotes the lesson into it
    draft = standard_promote_lesson(plan=plan, actor=manager, standard=standard)
    # then a draft starts from the text in force, the lesson a marked paragraph after it
    assert draft.body.startswith(IN_FORCE + "\n\n")
    assert "每天拜访不少于四家" in draft.body
    lesson_line = draft.body.splitlines()[-1]
    assert "拜访前准备资料" in lesson_line and plan.title in lesson_line
    assert (draft.number, draft.is_approved, draft.based_on) == (None, False, first)
    # and the version in force is untouched
    first.refresh_from_db()
    assert first.body == IN_FORCE
    versions = standard_versions(standard=standard, user=org_tree.user("rep_east1a"))
    assert standard_current_version(versions, today=date(2026, 6, 1)) == first
    # promoting again goes to the same draft, the lesson not repeated
    again = standard_promote_lesson(plan=plan, actor=manager, standard=standard)
    assert again.pk == draft.pk and again.body.count("拜访前准备资料") == 1
    # another leader of the plan gets a draft of their own
    other = standard_promote_lesson(plan=plan, actor=org_tree.user("head_east"), standard=standard)
    assert other.pk != draft.pk
    assert StandardVersion.objects.filter(standard=standard, approved_by=None).count() == 2


def test_a_lesson_promoted_into_a_new_standard(org_tree):
    plan = closed_plan(org_tree)
    draft = standard_promote_lesson(
        plan=plan, actor=org_tree.user("manager_east1"), code="STD-NEW", title="新标准",
        category="other",
    )  # fmt: skip
    assert draft.body == "拜访前准备资料" and draft.based_on is None and draft.number is None
    approved = standard_version_approve(
        version=draft, actor=org_tree.user("director"), effective_date=date(2026, 5, 1)
    )
    assert approved.number == 1 and approved.standard.is_published


def test_a_draft_is_edited_by_its_author_and_the_library_writers_only(org_tree):
    standard, _first = visit_standard(org_tree)
    plan = closed_plan(org_tree)
    draft = standard_promote_lesson(
        plan=plan, actor=org_tree.user("manager_east1"), standard=standard
    )
    edited = IN_FORCE + "\n拜访前准备客户资料和拜访目的。"
    standard_draft_update(version=draft, body=edited, actor=org_tree.user("manager_east1"))
    draft.refresh_from_db()
    assert draft.body == edited
    for other in ("head_east", "manager_east2", "rep_east1a"):
        with pytest.raises(ValidationError) as error:
            standard_draft_update(version=draft, body="改掉", actor=org_tree.user(other))
        assert "body" in error.value.message_dict
    standard_draft_update(version=draft, body=edited + "\n总监补充。", actor=org_tree.user("admin"))
    with pytest.raises(ValidationError) as error:
        standard_draft_update(version=draft, body="  ", actor=org_tree.user("manager_east1"))
    assert "body" in error.value.message_dict
    # once approved it is no longer a draft: nobody edits it
    standard_version_approve(
        version=draft, actor=org_tree.user("director"), effective_date=date(2026, 5, 1)
    )
    with pytest.raises(ValidationError):
        standard_draft_update(version=draft, body="改掉", actor=org_tree.user("director"))


def test_approval_makes_the_draft_the_version_in_force_and_keeps_the_old_one(org_tree):
    standard, first = visit_standard(org_tree)
    plan = closed_plan(org_tree)
    draft = standard_promote_lesson(
        plan=plan, actor=org_tree.user("manager_east1"), standard=standard
    )
    director = org_tree.user("director")
    # an effective date before the version it replaces is refused
    with pytest.raises(ValidationError) as error:
        standard_version_approve(version=draft, actor=director, effective_date=date(2025, 12, 1))
    assert "effective_date" in error.value.message_dict
    second = standard_version_approve(
        version=draft, actor=director, effective_date=date(2026, 5, 1)
    )
    assert second.number == 2
    rep = org_tree.user("rep_east1a")
    versions = standard_versions(standard=standard, user=rep)
    # in force from its effective date; before it the old version still is
    assert standard_current_version(versions, today=date(2026, 4, 30)) == first
    assert standard_current_version(versions, today=date(2026, 5, 1)) == second
    # the old version stays readable, and the history shows what the new one changed
    history = standard_history(standard=standard, user=rep, today=date(2026, 6, 1))
    rows = {row.version.number: row for row in history.rows}
    assert rows[1].version.body == IN_FORCE
    assert rows[2].previous == first
    added = [line.text for line in rows[2].diff if line.kind == "added" and line.text]
    assert len(added) == 1 and "拜访前准备资料" in added[0]
    assert not [line for line in rows[2].diff if line.kind == "removed"]
    assert history.current == second


def test_one_open_draft_per_author_and_standard(org_tree):
    standard, _first = visit_standard(org_tree)
    director = org_tree.user("director")
    draft = standard_version_add(standard=standard, body=IN_FORCE + "\n新增。", actor=director)
    assert draft.number is None and draft.based_on is not None
    with pytest.raises(ValidationError) as error:
        standard_version_add(standard=standard, body="另一稿", actor=director)
    assert "body" in error.value.message_dict
    # once it is approved the director may draft again
    standard_version_approve(version=draft, actor=director, effective_date=date(2026, 2, 1))
    assert standard_version_add(standard=standard, body="第三版", actor=director).pk


def test_the_diff_marks_lines_added_and_removed():
    diff = standard_diff(old="甲\n乙\n丙", new="甲\n乙二\n丙\n丁")
    assert [(line.kind, line.text) for line in diff] == [
        ("same", "甲"),
        ("removed", "乙"),
        ("added", "乙二"),
        ("same", "丙"),
        ("added", "丁"),
    ]
    assert [line.kind for line in standard_diff(old="", new="甲")] == ["added"]


def test_drafts_numbered_before_approval_gave_numbers_do_not_block_an_approval(org_tree):
    # given two drafts written when drafts still took a number (2 and 3)
    standard, _first = visit_standard(org_tree)
    people = org_tree.people
    older = StandardVersion.objects.create(
        standard=standard, number=2, body="甲", proposed_by=people["manager_east1"]
    )
    newer = StandardVersion.objects.create(
        standard=standard, number=3, body="乙", proposed_by=people["head_east"]
    )
    # when the later one is approved first, it becomes version 2
    standard_version_approve(
        version=newer, actor=org_tree.user("director"), effective_date=date(2026, 5, 1)
    )
    older.refresh_from_db()
    assert (newer.number, older.number, older.is_approved) == (2, None, False)
