"""Onboarding: the curriculum covers the seed's list, a new hire gets it exactly once with
staggered working-day due dates, and its pages show the system's live content."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from salesorg.core.calendar import workday_set
from salesorg.core.roles import Role
from salesorg.development.models import Assignment, Material
from salesorg.development.selectors.onboarding import ONBOARDING_TOPICS, onboarding_materials
from salesorg.development.services.curriculum import curriculum_install
from salesorg.development.services.onboarding import (
    onboarding_assign,
    onboarding_assign_new_hires,
)
from salesorg.org.models import Person
from salesorg.org.services import org_record_save
from tests.factories import MembershipFactory, PersonFactory, PositionFactory, TargetFactory

pytestmark = pytest.mark.django_db

SEED_ORDER = [
    "org_structure",
    "position_duties",
    "market_outline",
    "goals",
    "sales_plan",
    "sales_targets",
    "selling_skills",
    "communication",
    "problem_handling",
    "rewards_penalties",
    "pay_benefits",
]


@pytest.fixture
def curriculum(db):
    return curriculum_install()


def test_the_curriculum_covers_every_seed_topic_in_the_seed_order(curriculum):
    assert [m.topic for m in onboarding_materials()] == SEED_ORDER == list(ONBOARDING_TOPICS)
    assert all(m.questions.exists() for m in onboarding_materials())


def test_installing_the_curriculum_twice_creates_nothing_more(curriculum):
    assert curriculum_install() == []
    assert Material.objects.filter(is_onboarding=True).count() == 11


def test_a_new_rep_is_onboarded_on_creation_exactly_once(curriculum):
    today = timezone.localdate()
    rep = PersonFactory(role=Role.REP, hire_date=today)
    assignments = list(Assignment.objects.filter(person=rep).order_by("due_date"))
    assert len(assignments) == 11
    assert [a.material.topic for a in assignments] == SEED_ORDER
    rep.name = "改名"
    rep.save()
    org_record_save(instance=rep)
    assert onboarding_assign(person=rep) == []
    assert Assignment.objects.filter(person=rep).count() == 11


def test_due_dates_are_successive_working_days_from_the_hire_date(curriculum):
    hired = timezone.localdate()
    rep = PersonFactory(role=Role.MANAGER, hire_date=hired)
    due = list(
        Assignment.objects.filter(person=rep)
        .order_by("due_date")
        .values_list("due_date", flat=True)
    )
    workdays = sorted(workday_set(hired + timedelta(1), hired + timedelta(40)))[:11]
    assert due == workdays


def test_completing_onboarding_does_not_bring_it_back(curriculum):
    rep = PersonFactory(role=Role.REP, hire_date=timezone.localdate())
    Assignment.objects.filter(person=rep).update(status="completed")
    assert onboarding_assign(person=rep) == []


@pytest.mark.parametrize(
    "role,hired_days_ago,onboarded",
    [
        (Role.REP, 0, True),
        (Role.MANAGER, 30, True),
        (Role.REP, 400, False),  # an old hire entered late is not a new hire
        (Role.TRAINER, 0, False),
        (Role.FINANCE, 0, False),
    ],
)
def test_who_counts_as_a_new_hire(curriculum, role, hired_days_ago, onboarded):
    person = PersonFactory(role=role, hire_date=timezone.localdate() - timedelta(hired_days_ago))
    assert Assignment.objects.filter(person=person).exists() == onboarded


def test_no_curriculum_means_no_assignments(db):
    rep = PersonFactory(role=Role.REP, hire_date=timezone.localdate())
    assert not Assignment.objects.filter(person=rep).exists()


def test_the_importer_hook_onboards_new_hires_created_in_bulk(curriculum):
    today = timezone.localdate()
    people = Person.objects.bulk_create(
        [
            Person(code="IMP1", name="新人", role=Role.REP, hire_date=today),
            Person(code="IMP2", name="老人", role=Role.REP, hire_date=date(2019, 1, 1)),
        ]
    )
    assert onboarding_assign_new_hires(people=people) == 1
    assert onboarding_assign_new_hires(people=people) == 0
    assert Assignment.objects.filter(person__code="IMP1").count() == 11
    assert not Assignment.objects.filter(person__code="IMP2").exists()


# --- live content -------------------------------------------------------------------------


def _assignment(person, code):
    return Assignment.objects.get(person=person, material__code=code)


def test_pages_show_the_org_tree_duties_and_own_targets(curriculum, org_tree):
    today = timezone.localdate()
    position = PositionFactory(name="销售代表", duties="每周拜访二十家客户")
    rep = PersonFactory(code="NEW-1", role=Role.REP, hire_date=today, position=position)
    MembershipFactory(person=rep, team=org_tree.teams["east1"], start_date=today)
    from tests.factories import login_for

    login_for(rep)
    TargetFactory(person=rep, year=today.year, month=1)
    client = org_tree.client("rep_east1a")
    client.force_login(rep.user)
    org = client.get(_assignment(rep, "ONB-01").get_absolute_url()).content.decode()
    assert org_tree.teams["east1"].name in org
    assert org_tree.teams["north1"].name in org  # the whole company (test_onboarding_structure)
    duties = client.get(_assignment(rep, "ONB-02").get_absolute_url()).content.decode()
    assert "每周拜访二十家客户" in duties
    targets = client.get(_assignment(rep, "ONB-06").get_absolute_url()).content.decode()
    assert f"{today.year}-01" in targets
    pay = client.get(_assignment(rep, "ONB-11").get_absolute_url()).content.decode()
    assert "The incentive policy in force" in pay


def test_the_manager_reads_the_new_hires_onboarding_with_the_hires_duties(curriculum, org_tree):
    today = timezone.localdate()
    position = PositionFactory(name="销售代表", duties="按时回款")
    rep = PersonFactory(role=Role.REP, hire_date=today, position=position)
    MembershipFactory(person=rep, team=org_tree.teams["east1"], start_date=today)
    page = org_tree.client("manager_east1").get(_assignment(rep, "ONB-02").get_absolute_url())
    assert page.status_code == 200 and "按时回款" in page.content.decode()
    other = org_tree.client("manager_north1").get(_assignment(rep, "ONB-02").get_absolute_url())
    assert other.status_code == 404
