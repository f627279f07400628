"""Org pages: the tree, people list, person/team/region pages, with bounded queries."""

import pytest
from django.test import Client

from salesorg.core.roles import Role
from tests.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_pages_need_a_login():
    response = Client().get("/org/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_org_tree_shows_regions_teams_and_current_members_only(org_tree):
    page = org_tree.client("director").get("/org/").content.decode()
    assert "REP-east1a" not in page  # names are shown, codes are not
    assert org_tree.people["rep_east1a"].name in page
    assert org_tree.people["rep_former"].name not in page  # left the team in 2021


def _add_reps(team, count):
    for _ in range(count):
        MembershipFactory(person=PersonFactory(role=Role.REP), team=team)


@pytest.mark.parametrize(
    "url",
    ["/org/", "/org/people/", "/org/people/?q=REP&sort=-name", "/org/people/?format=csv"],
)
def test_list_pages_do_not_grow_queries_with_rows(org_tree, url, django_assert_max_num_queries):
    client = org_tree.client("manager_east1")
    with django_assert_max_num_queries(20) as few_rows:
        client.get(url)
    _add_reps(org_tree.teams["east1"], 25)
    client = org_tree.client("manager_east1")
    with django_assert_max_num_queries(len(few_rows)):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("key", ["rep_east1a", "manager_east1", "head_east"])
def test_detail_pages_use_a_bounded_number_of_queries(org_tree, key, django_assert_max_num_queries):
    client = org_tree.client("director")
    person = org_tree.people[key]
    team = org_tree.teams["east1"]
    region = org_tree.regions["east"]
    for url in (person.get_absolute_url(), team.get_absolute_url(), region.get_absolute_url()):
        client.get(url)
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200


def test_people_list_searches_filters_and_sorts(org_tree):
    client = org_tree.client("director")
    page = client.get("/org/people/", {"q": "MGR-"}).content.decode()
    assert ">MGR-east1<" in page and ">REP-east1a<" not in page
    page = client.get("/org/people/", {"role": "region_head"}).content.decode()
    assert ">HEAD-east<" in page and ">MGR-east1<" not in page
    page = client.get("/org/people/", {"sort": "-code"}).content.decode()
    assert page.index(">REP-north2b<") < page.index(">ADMIN<")


def test_people_list_paginates(org_tree):
    _add_reps(org_tree.teams["north1"], 60)
    client = org_tree.client("director")
    first = client.get("/org/people/").content.decode()
    second = client.get("/org/people/", {"page": 2}).content.decode()
    assert "Page 1 of 2" in first and "Page 2 of 2" in second


def test_people_list_answers_htmx_with_just_the_table(org_tree):
    client = org_tree.client("director")
    response = client.get("/org/people/", {"q": "REP"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<table" in body and '<nav class="navbar' not in body


def test_an_empty_search_says_so(org_tree):
    page = org_tree.client("director").get("/org/people/", {"q": "nobody"}).content.decode()
    assert "No people match." in page


def test_person_page_shows_duties_history_and_reports(org_tree):
    manager = org_tree.people["manager_east1"]
    page = org_tree.client("head_east").get(manager.get_absolute_url()).content.decode()
    assert org_tree.people["rep_east1a"].name in page  # a direct report
    assert org_tree.teams["east1"].name in page
    assert "2020-01-01" in page


@pytest.mark.parametrize(
    "role,template",
    [
        ("rep_east1a", "home/rep.html"),
        ("manager_east1", "home/manager.html"),
        ("head_east", "home/manager.html"),
        ("director", "home/director.html"),
        ("admin", "home/director.html"),
        ("finance", "home/finance.html"),
        ("trainer", "home/trainer.html"),
    ],
)
def test_each_role_has_its_home_page(org_tree, role, template):
    response = org_tree.client(role).get("/")
    assert response.status_code == 200
    assert template in [t.name for t in response.templates]


def test_the_menu_offers_administration_only_to_admins(org_tree):
    org_tree.user("admin").is_staff = True
    org_tree.user("admin").save()
    assert "/admin/" in org_tree.client("admin").get("/").content.decode()
    assert "/admin/" not in org_tree.client("director").get("/").content.decode()


def test_a_login_without_a_person_sees_nothing_and_is_told(db):
    from tests.factories import UserFactory

    client = Client()
    client.force_login(UserFactory())
    page = client.get("/").content.decode()
    assert "not linked to a person" in page
    assert (
        client.get("/org/people/", {"format": "csv"}).content.decode("utf-8-sig").count("\n") == 1
    )
