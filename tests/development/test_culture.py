"""Culture: vision and values (versioned), the incentive policy link, recognition posts on
the team's page and the team members' home page."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from salesorg.core.reminders import reminders_for
from salesorg.development.models import Recognition
from salesorg.development.selectors.culture import culture_page, culture_page_history
from salesorg.development.services.culture import culture_page_save, recognition_create
from tests.factories import CustomerFactory, OrderFactory

pytestmark = pytest.mark.django_db


def test_the_director_edits_vision_and_values_and_history_keeps_each_version(org_tree):
    director = org_tree.user("director")
    culture_page_save(vision="成为第一", values="- 客户第一", actor=director)
    culture_page_save(vision="成为最受信赖的伙伴", values="- 客户第一", actor=director)
    assert culture_page().vision == "成为最受信赖的伙伴"
    assert [v.vision for v in culture_page_history()][:2] == ["成为最受信赖的伙伴", "成为第一"]
    page = org_tree.client("rep_east1a").get("/development/culture/").content.decode()
    assert "成为最受信赖的伙伴" in page and "<li>客户第一</li>" in page


@pytest.mark.parametrize("role", ["rep_east1a", "manager_east1", "trainer", "finance"])
def test_only_director_and_admin_edit_the_culture_page(org_tree, role):
    with pytest.raises(PermissionDenied):
        culture_page_save(vision="x", values="y", actor=org_tree.user(role))
    assert org_tree.client(role).get("/development/culture/edit/").status_code == 403


def test_the_culture_page_form_saves(org_tree):
    client = org_tree.client("admin")
    response = client.post("/development/culture/edit/", {"vision": "远景", "values": "价值观"})
    assert response.status_code == 302
    assert culture_page().updated_by == org_tree.people["admin"]


def test_the_culture_page_says_when_no_incentive_policy_is_published(org_tree):
    page = org_tree.client("rep_east1a").get("/development/culture/").content.decode()
    assert "No incentive policy is published yet." in page


def test_a_published_incentive_policy_is_linked_when_there_is_one(org_tree):
    from django.apps import apps

    try:
        policy_model = apps.get_model("performance", "IncentivePolicy")
    except LookupError:
        pytest.skip("the incentive policy feature is not installed")
    from datetime import date

    policy = policy_model.objects.create(
        name="2026激励政策", version=1, effective_from=date(2026, 1, 1), status="published"
    )
    page = org_tree.client("rep_east1a").get("/development/culture/").content.decode()
    assert str(policy) in page


def test_a_manager_praises_a_rep_linked_to_their_order(org_tree):
    rep = org_tree.people["rep_east1a"]
    order = OrderFactory(code="ORD-P1", customer=CustomerFactory(owner=rep), rep=rep)
    post = recognition_create(
        person=rep, title="回款第一", actor=org_tree.user("manager_east1"), order=order
    )
    assert post.team == org_tree.teams["east1"] and post.author == org_tree.people["manager_east1"]

    def sees(role):
        return Recognition.objects.visible_to(org_tree.user(role)).filter(pk=post.pk).exists()

    assert sees("rep_east1b") and sees("head_east") and sees("trainer") and sees("director")
    assert not sees("rep_north1a") and not sees("manager_east2") and not sees("rep_former")


def test_a_manager_cannot_praise_or_link_outside_their_team(org_tree):
    other_rep = org_tree.people["rep_north1a"]
    order = OrderFactory(code="ORD-N1", customer=CustomerFactory(owner=other_rep), rep=other_rep)
    manager = org_tree.user("manager_east1")
    with pytest.raises(ValidationError) as error:
        recognition_create(person=other_rep, title="好", actor=manager)
    assert "person" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        recognition_create(
            person=org_tree.people["rep_east1a"], title="好", actor=manager, order=order
        )
    assert "order" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        recognition_create(
            person=org_tree.people["rep_east1b"], title="", actor=org_tree.user("rep_east1a")
        )
    assert {"person", "title"} <= set(error.value.message_dict)


def test_the_praise_form_refuses_an_unknown_record_code(org_tree):
    client = org_tree.client("manager_east1")
    rep = org_tree.people["rep_east1a"]
    response = client.post(
        "/development/culture/praise/",
        {"person": rep.pk, "title": "好样的", "order_code": "NOPE"},
    )
    assert response.status_code == 200
    assert "Unknown record, or outside your scope." in response.content.decode()
    ok = client.post("/development/culture/praise/", {"person": rep.pk, "title": "好样的"})
    assert ok.status_code == 302 and Recognition.objects.filter(person=rep).exists()
    assert org_tree.client("rep_east1a").get("/development/culture/praise/").status_code == 403


def test_recognition_shows_on_the_team_page_and_the_members_home_page(org_tree):
    rep = org_tree.people["rep_east1a"]
    recognition_create(person=rep, title="签下大单", actor=org_tree.user("manager_east1"))
    team = org_tree.teams["east1"]
    team_page = org_tree.client("rep_east1b").get(team.get_absolute_url()).content.decode()
    assert f"/development/culture/teams/{team.pk}/recognitions/" in team_page
    fragment = org_tree.client("rep_east1b").get(
        f"/development/culture/teams/{team.pk}/recognitions/"
    )
    assert "签下大单" in fragment.content.decode()
    outsider = org_tree.client("rep_north1a").get(
        f"/development/culture/teams/{team.pk}/recognitions/"
    )
    assert outsider.status_code == 404
    teammate = [r for r in reminders_for(org_tree.user("rep_east1b")) if r.kind == "recognition"]
    assert teammate and "签下大单" in teammate[0].text
    assert not [r for r in reminders_for(org_tree.user("rep_north1a")) if r.kind == "recognition"]
    home = org_tree.client("rep_east1b").get("/").content.decode()
    assert "签下大单" in home
