"""Training library, quizzes and assignments: services, scoping, uploads, pages, reminders."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from salesorg.core.reminders import reminders_for
from salesorg.development.markup import render_markdown
from salesorg.development.models import Assignment, AssignmentStatus, Material
from salesorg.development.quizzes import quiz_parse, quiz_score
from salesorg.development.selectors.training import quiz_questions
from salesorg.development.services.training import (
    assignment_complete,
    assignment_create,
    material_save,
)

pytestmark = pytest.mark.django_db

QUIZ_TEXT = """
? Q1
* right
- wrong
? Q2
* right
- wrong
? Q3
* right
- wrong
? Q4
* right
- wrong
? Q5 (two correct)
* right A
* right B
- wrong
"""


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def quiz_material(org_tree):
    material = Material(title="回款技巧", topic="collections", pass_mark=80)
    return material_save(
        instance=material, actor=org_tree.user("trainer"), questions=quiz_parse(QUIZ_TEXT)
    )


@pytest.fixture
def reading(org_tree):
    return material_save(
        instance=Material(title="产品知识", topic="product_knowledge", body="# 产品"),
        actor=org_tree.user("trainer"),
    )


def answers_with(questions, right: int) -> dict:
    """Answer the first `right` questions correctly and the rest wrongly."""
    answers = {}
    for index, question in enumerate(questions):
        options = list(question.options.all())
        if index < right:
            answers[question.id] = [o.id for o in options if o.is_correct]
        else:
            answers[question.id] = [o.id for o in options if not o.is_correct]
    return answers


# --- quiz scoring ---------------------------------------------------------------------------


def test_four_of_five_right_passes_an_80_percent_mark_exactly(quiz_material):
    questions = quiz_questions(material=quiz_material)
    result = quiz_score(questions=questions, answers=answers_with(questions, 4))
    assert (result.correct, result.score, result.passed) == (4, 80, True)


def test_three_of_five_right_fails_an_80_percent_mark(quiz_material):
    questions = quiz_questions(material=quiz_material)
    result = quiz_score(questions=questions, answers=answers_with(questions, 3))
    assert (result.score, result.passed) == (60, False)


def test_a_question_with_two_correct_options_needs_both_and_nothing_else(quiz_material):
    questions = quiz_questions(material=quiz_material)
    answers = answers_with(questions, 5)
    last = questions[4]
    correct = [o.id for o in last.options.all() if o.is_correct]
    wrong = [o.id for o in last.options.all() if not o.is_correct]
    assert quiz_score(questions=questions, answers=answers).score == 100
    answers[last.id] = correct[:1]
    assert quiz_score(questions=questions, answers=answers).correct == 4
    answers[last.id] = correct + wrong
    assert quiz_score(questions=questions, answers=answers).correct == 4


def test_a_quiz_needs_two_options_and_a_correct_one(org_tree):
    with pytest.raises(ValidationError) as error:
        material_save(
            instance=Material(title="x", topic="other"),
            actor=org_tree.user("trainer"),
            questions=quiz_parse("? only one\n- wrong"),
        )
    assert "questions" in error.value.message_dict


def test_quiz_text_with_an_option_before_any_question_names_the_line():
    with pytest.raises(ValidationError) as error:
        quiz_parse("* orphan")
    assert "Line 1" in error.value.message_dict["quiz"][0]


# --- assignments --------------------------------------------------------------------------


def test_taking_the_quiz_records_score_and_completes_only_when_passed(org_tree, quiz_material):
    rep = org_tree.people["rep_east1a"]
    assignment = assignment_create(
        person=rep,
        material=quiz_material,
        due_date=date(2026, 12, 31),
        actor=org_tree.user("trainer"),
    )
    questions = quiz_questions(material=quiz_material)
    failed = assignment_complete(
        assignment=assignment, actor=rep.user, answers=answers_with(questions, 3)
    )
    assert (failed.status, failed.quiz_score, failed.passed) == ("assigned", 60, False)
    passed = assignment_complete(
        assignment=failed, actor=rep.user, answers=answers_with(questions, 5)
    )
    assert (passed.status, passed.quiz_score, passed.passed) == ("completed", 100, True)
    assert passed.completed_at is not None


def test_reading_without_a_quiz_completes_it(org_tree, reading):
    rep = org_tree.people["rep_east1a"]
    assignment = assignment_create(person=rep, material=reading, due_date=date(2026, 12, 31))
    done = assignment_complete(assignment=assignment, actor=rep.user)
    assert done.status == AssignmentStatus.COMPLETED and done.passed is None


def test_only_the_assignee_completes_an_assignment(org_tree, reading):
    assignment = assignment_create(
        person=org_tree.people["rep_east1a"], material=reading, due_date=date(2026, 12, 31)
    )
    with pytest.raises(ValidationError) as error:
        assignment_complete(assignment=assignment, actor=org_tree.user("manager_east1"))
    assert "person" in error.value.message_dict


def test_a_second_open_assignment_of_the_same_material_is_refused(org_tree, reading):
    rep = org_tree.people["rep_east1a"]
    first = assignment_create(person=rep, material=reading, due_date=date(2026, 12, 31))
    with pytest.raises(ValidationError) as error:
        assignment_create(person=rep, material=reading, due_date=date(2027, 1, 31))
    assert "material" in error.value.message_dict
    assignment_complete(assignment=first, actor=rep.user)
    again = assignment_create(person=rep, material=reading, due_date=date(2027, 1, 31))
    assert again.pk != first.pk


@pytest.mark.parametrize(
    "actor,person,allowed",
    [
        ("trainer", "rep_north2b", True),
        ("manager_east1", "rep_east1a", True),
        ("manager_east1", "rep_east2a", False),
        ("head_east", "rep_east2a", True),
        ("rep_east1a", "rep_east1b", False),
        ("finance", "rep_east1a", False),
    ],
)
def test_who_may_assign_training(org_tree, reading, actor, person, allowed):
    call = lambda: assignment_create(  # noqa: E731
        person=org_tree.people[person],
        material=reading,
        due_date=date(2026, 12, 31),
        actor=org_tree.user(actor),
        reason="提升",
    )
    if allowed:
        assert call().assigned_by == org_tree.people[actor]
    else:
        with pytest.raises(ValidationError) as error:
            call()
        assert "person" in error.value.message_dict


def test_a_rep_sees_only_their_own_assignments(org_tree, reading):
    for key in ("rep_east1a", "rep_east1b", "rep_north1a"):
        assignment_create(person=org_tree.people[key], material=reading, due_date=date(2026, 12, 1))

    def owners(role):
        visible = Assignment.objects.visible_to(org_tree.user(role))
        return set(visible.values_list("person__code", flat=True))

    assert owners("rep_east1a") == {"REP-east1a"}
    assert owners("manager_east1") == {"REP-east1a", "REP-east1b"}
    assert owners("trainer") == {"REP-east1a", "REP-east1b", "REP-north1a"}
    assert owners("finance") == set()
    assert owners("rep_former") == set()


def test_an_unpublished_material_is_seen_by_library_writers_only(org_tree):
    draft = material_save(
        instance=Material(title="草稿", topic="other", is_published=False),
        actor=org_tree.user("trainer"),
    )
    assert Material.objects.visible_to(org_tree.user("trainer")).filter(pk=draft.pk).exists()
    assert not Material.objects.visible_to(org_tree.user("rep_east1a")).filter(pk=draft.pk).exists()


def test_only_library_writers_save_materials(org_tree):
    with pytest.raises(PermissionDenied):
        material_save(
            instance=Material(title="x", topic="other"), actor=org_tree.user("manager_east1")
        )


# --- attachments --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("virus.exe", b"MZ\x90\x00", "Allowed file types"),
        ("fake.pdf", b"<script>alert(1)</script>", "does not match"),
        ("page.html", b"<html></html>", "Allowed file types"),
    ],
)
def test_attachments_of_the_wrong_type_are_refused(org_tree, media, name, content, message):
    with pytest.raises(ValidationError) as error:
        material_save(
            instance=Material(title="x", topic="other"),
            actor=org_tree.user("trainer"),
            upload=SimpleUploadedFile(name, content),
        )
    assert message in error.value.message_dict["attachment"][0]


def test_attachments_over_the_size_limit_are_refused(org_tree, media, settings):
    settings.SALESORG_TRAINING_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError) as error:
        material_save(
            instance=Material(title="x", topic="other"),
            actor=org_tree.user("trainer"),
            upload=big,
        )
    assert "larger than 1 MB" in error.value.message_dict["attachment"][0]


def test_an_attachment_is_served_by_a_scoped_view_not_a_public_url(org_tree, media):
    material = material_save(
        instance=Material(title="手册", topic="other"),
        actor=org_tree.user("trainer"),
        upload=SimpleUploadedFile("handbook.pdf", b"%PDF-1.4 handbook"),
    )
    assert material.attachment.name.startswith("private/training/")
    url = f"/development/training/{material.pk}/attachment/"
    response = org_tree.client("rep_east1a").get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 handbook"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    assert org_tree.client("rep_former").get(url).status_code in (302, 404)
    material.is_published = False
    material.save()
    assert org_tree.client("rep_east1a").get(url).status_code == 404


def test_material_body_markdown_cannot_inject_script():
    html = render_markdown(
        "# Title\n<script>alert(1)</script>\n[x](javascript:alert(1)) **bold** "
        '[ok](https://example.cn/"onmouseover="x)'
    )
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html
    assert "onmouseover=" not in html.replace("&quot;", "") or 'onmouseover="' not in html
    assert "<strong>bold</strong>" in html and "<h3>Title</h3>" in html


# --- pages --------------------------------------------------------------------------------


def test_library_list_filters_and_keeps_queries_bounded(org_tree, django_assert_max_num_queries):
    trainer = org_tree.user("trainer")
    for number in range(25):
        material_save(
            instance=Material(
                title=f"课程{number}", topic="collections" if number % 2 else "other"
            ),
            actor=trainer,
            questions=quiz_parse("? q\n* a\n- b"),
        )
    client = org_tree.client("rep_east1a")
    with django_assert_max_num_queries(15):  # the same with 5 or 500 materials
        page = client.get("/development/training/", {"topic": "collections"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "课程1<" in text and "课程2<" not in text
    csv = client.get("/development/training/", {"format": "csv", "q": "课程3"}).content.decode()
    assert "课程3" in csv


def test_a_trainer_creates_a_material_with_a_quiz_through_the_form(org_tree, media):
    client = org_tree.client("trainer")
    response = client.post(
        "/development/training/new/",
        {
            "title": "新课程",
            "topic": "selling_skills",
            "level": "basic",
            "estimated_minutes": "20",
            "body": "正文",
            "is_published": "on",
            "onboarding_order": "0",
            "pass_mark": "80",
            "quiz": "? 问题\n* 对\n- 错",
            "attachment": SimpleUploadedFile("notes.txt", "笔记".encode()),
        },
    )
    material = Material.objects.get(title="新课程")
    assert response.status_code == 302
    assert material.questions.count() == 1 and material.attachment
    assert org_tree.client("rep_east1a").get("/development/training/new/").status_code == 403


def test_a_bad_quiz_is_shown_on_the_form(org_tree):
    response = org_tree.client("trainer").post(
        "/development/training/new/",
        {
            "title": "新课程",
            "topic": "selling_skills",
            "level": "basic",
            "estimated_minutes": "20",
            "onboarding_order": "0",
            "pass_mark": "80",
            "quiz": "? 问题\n- 错\n- 也错",
        },
    )
    assert response.status_code == 200
    assert "needs at least one correct option" in response.content.decode()


def test_the_rep_takes_the_quiz_on_the_assignment_page(org_tree, quiz_material):
    rep = org_tree.people["rep_east1a"]
    assignment = assignment_create(person=rep, material=quiz_material, due_date=date(2026, 12, 31))
    questions = quiz_questions(material=quiz_material)
    data = {
        f"question-{qid}": [str(o) for o in options]
        for qid, options in answers_with(questions, 4).items()
    }
    client = org_tree.client("rep_east1a")
    assert client.get(f"/development/training/assignments/{assignment.pk}/").status_code == 200
    response = client.post(f"/development/training/assignments/{assignment.pk}/", data)
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert (assignment.status, assignment.quiz_score, assignment.passed) == ("completed", 80, True)
    page = client.get(f"/development/training/assignments/{assignment.pk}/").content.decode()
    assert "Quiz passed with 80%" in page
    # The manager sees the result but cannot answer for the rep.
    manager = org_tree.client("manager_east1")
    assert (
        manager.post(f"/development/training/assignments/{assignment.pk}/", data).status_code == 400
    )


def test_team_training_status_shows_completion_per_person_with_bounded_queries(
    org_tree, reading, quiz_material, django_assert_max_num_queries
):
    for key in ("rep_east1a", "rep_east1b"):
        assignment_create(person=org_tree.people[key], material=reading, due_date=date(2026, 1, 1))
        assignment_create(
            person=org_tree.people[key], material=quiz_material, due_date=date(2099, 1, 1)
        )
    done = Assignment.objects.get(person=org_tree.people["rep_east1a"], material=reading)
    assignment_complete(assignment=done, actor=org_tree.user("rep_east1a"))
    client = org_tree.client("manager_east1")
    with django_assert_max_num_queries(18):  # the same for 2 or 200 people
        page = client.get("/development/training/team/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "1/2" in text and "0/2" in text
    assert org_tree.people["rep_north1a"].name not in text
    assert org_tree.client("rep_east1a").get("/development/training/team/").status_code == 403


def test_my_training_lists_own_assignments_only(org_tree, reading):
    assignment_create(
        person=org_tree.people["rep_east1a"], material=reading, due_date=date(2026, 1, 1)
    )
    other = Material.objects.create(code="M-OTHER", title="别人的课程", topic="other")
    assignment_create(
        person=org_tree.people["rep_east1b"], material=other, due_date=date(2026, 1, 1)
    )
    text = org_tree.client("rep_east1a").get("/development/training/mine/").content.decode()
    assert "产品知识" in text and "别人的课程" not in text


def test_a_manager_assigns_a_material_to_team_members_on_the_assign_page(org_tree, reading):
    rep_a, rep_b = org_tree.people["rep_east1a"], org_tree.people["rep_east1b"]
    response = org_tree.client("manager_east1").post(
        "/development/training/assign/",
        {"people": [rep_a.pk, rep_b.pk], "material": reading.pk, "due_date": "2026-12-31"},
    )
    assert response.status_code == 302
    assert Assignment.objects.filter(material=reading).count() == 2
    again = org_tree.client("manager_east1").post(
        "/development/training/assign/",
        {"people": [rep_a.pk], "material": reading.pk, "due_date": "2026-12-31"},
    )
    assert again.status_code == 200
    assert "already has an open assignment" in again.content.decode()


# --- reminders ----------------------------------------------------------------------------


def test_overdue_training_shows_for_the_person_and_their_manager(org_tree, reading):
    today = timezone.localdate()
    rep = org_tree.people["rep_east1a"]
    assignment_create(person=rep, material=reading, due_date=today - timedelta(3))
    own = [r for r in reminders_for(rep.user) if r.kind == "training_overdue"]
    assert len(own) == 1 and own[0].overdue and "产品知识" in own[0].text
    team = [
        r
        for r in reminders_for(org_tree.user("manager_east1"))
        if r.kind == "team_training_overdue"
    ]
    assert len(team) == 1 and rep.name in team[0].text
    other = reminders_for(org_tree.user("manager_north1"))
    assert not [r for r in other if r.kind == "team_training_overdue"]
    assert not [
        r for r in reminders_for(org_tree.user("rep_east1b")) if r.kind.startswith("training")
    ]


def test_training_not_yet_due_is_no_reminder(org_tree, reading):
    rep = org_tree.people["rep_east1a"]
    assignment_create(person=rep, material=reading, due_date=timezone.localdate() + timedelta(3))
    assert not [r for r in reminders_for(rep.user) if "training" in r.kind]


def test_reminder_queries_do_not_grow_with_overdue_items(org_tree, django_assert_max_num_queries):
    today = timezone.localdate()
    trainer = org_tree.user("trainer")
    for number in range(12):
        material = material_save(
            instance=Material(title=f"课{number}", topic="other"), actor=trainer
        )
        for key in ("rep_east1a", "rep_east1b"):
            assignment_create(
                person=org_tree.people[key], material=material, due_date=today - timedelta(1)
            )
    from salesorg.development import reminders

    user = org_tree.user("manager_east1")
    person = org_tree.people["manager_east1"]
    reminders_for(user)  # warm the scope cache
    with django_assert_max_num_queries(3):
        list(reminders.overdue_own_training(user=user, person=person, today=today))
        list(reminders.overdue_team_training(user=user, person=person, today=today))
        list(reminders.team_recognitions(user=user, person=person, today=today))
    rep_user = org_tree.user("rep_east1a")
    assert len([r for r in reminders_for(rep_user) if r.kind == "training_overdue"]) == 10
