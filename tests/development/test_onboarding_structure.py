"""The org-structure lesson shows a new hire the whole company (S5): every region with its
head, every team with its manager and head count — names and roles only, no figures, and no
way into records outside the reader's scope."""

import pytest
from django.utils import timezone

from salesorg.core.roles import Role
from salesorg.development.models import Assignment
from salesorg.development.selectors.onboarding import company_structure
from salesorg.development.services.curriculum import curriculum_install
from tests.factories import MembershipFactory, PersonFactory, login_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_rep(org_tree):
    curriculum_install()
    today = timezone.localdate()
    rep = PersonFactory(code="NEW-1", role=Role.REP, hire_date=today)
    MembershipFactory(person=rep, team=org_tree.teams["east1"], start_date=today)
    login_for(rep)
    return rep


def test_the_structure_holds_every_region_team_leader_and_head_count(org_tree, new_rep):
    structure = company_structure(user=new_rep.user)
    assert [region.name for region in structure] == [
        org_tree.regions["east"].name,
        org_tree.regions["north"].name,
    ]
    east, north = structure
    assert east.head_name == org_tree.people["head_east"].name
    assert [team.name for team in north.teams] == [
        org_tree.teams["north1"].name,
        org_tree.teams["north2"].name,
    ]
    north1 = north.teams[0]
    assert north1.manager_name == org_tree.people["manager_north1"].name
    assert north1.member_count == 3  # the manager and two reps
    east1 = east.teams[0]
    assert east1.member_count == 4 and east1.is_mine  # the former rep left; the new one joined
    assert east1.url and north1.url is None  # only teams in the reader's scope are links


def test_people_outside_the_company_see_nothing(db):
    from django.contrib.auth.models import User

    assert company_structure(user=User.objects.create(username="nobody")) == []


def test_the_lesson_page_shows_the_whole_company_in_bounded_queries(
    org_tree, new_rep, django_assert_max_num_queries
):
    client = org_tree.client("rep_east1a")
    client.force_login(new_rep.user)
    url = Assignment.objects.get(person=new_rep, material__code="ONB-01").get_absolute_url()
    client.get(url)
    with django_assert_max_num_queries(30):
        page = client.get(url).content.decode()
    for key in ("east1", "east2", "north1", "north2"):
        assert org_tree.teams[key].name in page
    assert org_tree.people["manager_north2"].name in page
    assert org_tree.people["head_north"].name in page
    assert org_tree.people["rep_north1a"].name not in page  # leaders only, no member names
    assert org_tree.teams["north1"].get_absolute_url() not in page  # no link out of scope
    assert client.get(org_tree.teams["north1"].get_absolute_url()).status_code == 404
