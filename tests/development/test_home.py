"""Home cards of training: the trainer's status by person (overdue first) and a new hire's
own onboarding path, seen on Monday 15 June 2026."""

from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from salesorg.core.roles import Role
from salesorg.development.home import training_status_by_person
from salesorg.development.models import Assignment, Material
from salesorg.development.services.curriculum import curriculum_install
from tests.factories import MembershipFactory, PersonFactory, login_for

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)


@pytest.fixture
def world(org_tree, monkeypatch):
    """The onboarding curriculum, a rep hired on 1 June who finished three steps, and
    other assignments: one overdue, one done, one not started."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    curriculum_install()
    hire = PersonFactory(code="NEW1", name="新同事", role=Role.REP, hire_date=date(2026, 6, 1))
    MembershipFactory(person=hire, team=org_tree.teams["east1"], start_date=date(2026, 6, 1))
    login_for(hire)
    steps = list(
        Assignment.objects.filter(person=hire).order_by("material__onboarding_order", "id")
    )
    Assignment.objects.filter(pk__in=[a.pk for a in steps[:3]]).update(status="completed")
    extra = Material.objects.create(code="MAT-X", title="回款技巧", topic="collections")
    people = org_tree.people
    Assignment.objects.create(
        person=people["rep_east1a"], material=extra, due_date=date(2026, 6, 1)
    )
    Assignment.objects.create(
        person=people["rep_east1b"], material=extra, due_date=date(2026, 6, 1), status="completed"
    )
    Assignment.objects.create(
        person=people["rep_north1a"], material=extra, due_date=date(2026, 7, 1)
    )
    org_tree.people["new_hire"] = hire
    org_tree.steps = steps
    return org_tree


def test_trainer_sees_each_persons_status_overdue_first(world):
    # when the trainer opens the home page
    response = world.client("trainer").get("/")
    page = response.content.decode()
    status = response.context["training_status"]
    rows = {row.code: row for row in status.people}
    # then the new hire shows the onboarding progress and what is overdue
    hire = rows["NEW1"]
    assert (hire.onboarding_done, hire.onboarding_total) == (3, 11)
    assert hire.overdue > 0 and hire.status == "overdue"
    assert rows["REP-east1a"].status == "overdue"
    assert rows["REP-east1b"].status == "done"
    assert rows["REP-north1a"].status == "assigned"
    # overdue people first (oldest next due date first), done last
    order = [row.status for row in status.people]
    assert order == sorted(order, key=["overdue", "in_progress", "assigned", "done"].index)
    assert status.people[0].code == "REP-east1a"  # due 1 June, before the hire's first open step
    counts = {key: count for key, _label, count in status.counts}
    assert counts == {"overdue": 2, "in_progress": 0, "assigned": 1, "done": 1}
    # each person is linked to their page, which the trainer may open
    assert f'href="/org/people/{world.people["new_hire"].pk}/"' in page
    assert world.client("trainer").get(hire.url).status_code == 200
    assert "3 / 11" in page
    # and the to-do list does not repeat the card's overdue people
    assert "overdue training" not in page.split('id="training-status"')[0]


def test_a_person_with_every_assignment_done_or_in_progress(world):
    world.steps[3].status = "completed"
    world.steps[3].save()
    Assignment.objects.filter(person=world.people["new_hire"], status="assigned").update(
        due_date=date(2026, 7, 1)
    )
    status = training_status_by_person(user=world.user("trainer"), today=TODAY)
    hire = next(row for row in status.people if row.code == "NEW1")
    assert hire.status == "in_progress" and hire.overdue == 0


def test_new_hire_sees_the_onboarding_path_and_the_next_step(world):
    response = world.client("new_hire").get("/")
    page = response.content.decode()
    path = response.context["onboarding"]
    assert (path.done, path.total) == (3, 11)
    assert 'data-testid="onboarding-progress">3 of 11 done<' in page
    next_step = world.steps[3]
    assert path.next_step.assignment == next_step
    assert next_step.material.title in page
    assert next_step.get_absolute_url() in page
    assert next_step.due_date.isoformat() in page
    # the steps come in the curriculum's order, done ones marked
    assert [step.done for step in path.steps] == [True] * 3 + [False] * 8
    assert page.index('id="month-achievement"') < page.index('id="onboarding"')


def test_no_onboarding_card_for_an_established_rep(world):
    response = world.client("rep_east1a").get("/")
    assert "onboarding" not in response.context
    assert 'id="onboarding"' not in response.content.decode()


def test_a_new_manager_sees_the_onboarding_card_too(world):
    manager = PersonFactory(code="NEWM", role=Role.MANAGER, hire_date=date(2026, 6, 10))
    client = Client()
    client.force_login(login_for(manager))
    page = client.get("/").content.decode()
    assert 'id="onboarding"' in page and "0 of 11 done" in page
