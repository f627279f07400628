"""S18: a customer's decision chain — decision makers, influencers, supporters, opponents —
with each stakeholder's history of role, attitude and influence, and a warning when nobody
decides or the decision maker opposes us; on its own page and in short on the customer page."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from salesorg.api.models import ApiToken
from salesorg.customers.services.customers import contact_save
from tests.factories import ContactFactory, CustomerFactory

pytestmark = pytest.mark.django_db


def _chain_url(customer) -> str:
    return reverse("customers:decision_chain", args=[customer.pk])


def _change(org_tree, contact, **values):
    for name, value in values.items():
        setattr(contact, name, value)
    return contact_save(
        instance=contact, actor=org_tree.user("rep_east1a"), expected_version=contact.version
    )


@pytest.fixture
def customer(org_tree):
    return CustomerFactory(owner=org_tree.people["rep_east1a"], name="华东机电有限公司")


def _groups(response) -> dict[str, list[str]]:
    chain = response.context["chain"]
    return {group.key: [member.contact.name for member in group.members] for group in chain.groups}


def test_the_page_groups_the_chain_by_role_then_attitude(org_tree, customer):
    ContactFactory(customer=customer, name="总经理甲", role="decision_maker", attitude="supporter")
    ContactFactory(customer=customer, name="厂长乙", role="influencer", attitude="opponent")
    ContactFactory(customer=customer, name="工程师丙", role="user", attitude="champion")
    ContactFactory(customer=customer, name="采购丁", role="gatekeeper", attitude="skeptic")
    ContactFactory(customer=customer, name="财务戊", role="other", attitude="")
    ContactFactory(
        customer=customer,
        name="离职己",
        role="decision_maker",
        status="left",
        left_on=date(2026, 1, 1),
    )
    response = org_tree.client("rep_east1a").get(_chain_url(customer), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert _groups(response) == {
        "decision_makers": ["总经理甲"],
        "influencers": ["厂长乙"],
        "supporters": ["工程师丙"],
        "opponents": ["采购丁"],
        "others": ["财务戊"],
    }
    page = response.content.decode()
    for heading in ("Decision makers", "Influencers", "Supporters", "Opponents"):
        assert heading in page
    assert "离职己" not in page  # who has left is no longer in the chain
    assert "No decision maker" not in page


def _edit_page(client, contact, **values) -> None:
    """Save the stakeholder through its edit page, as the rep does."""
    contact.refresh_from_db()
    data = {name: getattr(contact, name) or "" for name in ("name", "title", "role", "phone")}
    data |= {"influence": contact.influence or "", "attitude": contact.attitude}
    data |= {"expected_version": contact.version, **values}
    response = client.post(reverse("customers:contact_edit", args=[contact.pk]), data)
    assert response.status_code == 302, response.content


def test_each_stakeholder_shows_their_history_newest_first(org_tree, customer):
    contact = ContactFactory(
        customer=customer, name="潘平", role="influencer", attitude="supporter"
    )
    client = org_tree.client("rep_east1a")
    _edit_page(client, contact, attitude="opponent")
    _edit_page(client, contact, phone="13800000000")  # not part of the chain's history
    _edit_page(client, contact, role="decision_maker", influence=5)
    response = org_tree.client("rep_east1a").get(_chain_url(customer), HTTP_ACCEPT_LANGUAGE="en")
    member = response.context["chain"].groups[0].members[0]
    assert member.contact.name == "潘平"
    history = member.history
    assert [[(c["field"], c["old"], c["new"]) for c in entry["changes"]] for entry in history] == [
        [("Buying role", "Influencer", "Decision maker"), ("Influence", "—", "5")],
        [("Attitude", "Supporter", "Opponent")],
        [("Buying role", "—", "Influencer"), ("Attitude", "—", "Supporter")],
    ]
    assert [entry["created"] for entry in history] == [False, False, True]
    assert history[0]["who"] == org_tree.people["rep_east1a"].name
    assert history[0]["when"] >= history[1]["when"]
    page = response.content.decode()
    assert "Supporter → Opponent" in page and org_tree.people["rep_east1a"].name in page


def test_warnings_when_nobody_decides_or_the_decision_maker_opposes(org_tree, customer):
    client = org_tree.client("rep_east1a")
    ContactFactory(customer=customer, name="厂长乙", role="influencer", attitude="supporter")
    page = client.get(_chain_url(customer), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No decision maker is recorded" in page
    ContactFactory(customer=customer, name="总经理甲", role="decision_maker", attitude="opponent")
    response = client.get(_chain_url(customer), HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = response.content.decode()
    assert "决策人总经理甲反对我们" in page and "没有记录决策人" not in page
    assert response.context["chain"].opposing_decision_makers[0].name == "总经理甲"


def test_the_customer_page_shows_the_chain_in_short_with_a_link(org_tree, customer):
    ContactFactory(customer=customer, name="总经理甲", role="decision_maker", attitude="opponent")
    ContactFactory(customer=customer, name="厂长乙", role="influencer", attitude="supporter")
    response = org_tree.client("rep_east1a").get(
        customer.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"
    )
    page = response.content.decode()
    assert 'id="decision-chain"' in page and _chain_url(customer) in page
    assert "The decision maker 总经理甲 opposes us" in page


def test_another_teams_manager_gets_404_and_the_own_manager_sees_it(org_tree, customer):
    ContactFactory(customer=customer, role="decision_maker")
    assert org_tree.client("manager_east2").get(_chain_url(customer)).status_code == 404
    assert org_tree.client("rep_east1b").get(_chain_url(customer)).status_code == 404
    assert org_tree.client("manager_east1").get(_chain_url(customer)).status_code == 200


def _chain_of(customer, org_tree, size: int) -> None:
    roles = ("decision_maker", "influencer", "user", "gatekeeper")
    attitudes = ("champion", "supporter", "neutral", "skeptic", "opponent")
    for number in range(size):
        contact = ContactFactory(
            customer=customer, role=roles[number % 4], attitude=attitudes[number % 5]
        )
        _change(org_tree, contact, attitude=attitudes[(number + 1) % 5], influence=1 + number % 5)


@pytest.mark.parametrize("size", [2, 12])
def test_the_page_reads_in_a_fixed_number_of_queries(
    org_tree, customer, size, django_assert_max_num_queries
):
    _chain_of(customer, org_tree, size)
    client = org_tree.client("rep_east1a")
    with django_assert_max_num_queries(16):  # the same for 2 and 12 stakeholders (and the badge)
        assert client.get(_chain_url(customer)).status_code == 200


def test_the_api_answers_the_chain_in_scope(org_tree, customer):
    maker = ContactFactory(customer=customer, name="总经理甲", role="decision_maker")
    _edit_page(org_tree.client("rep_east1a"), maker, attitude="opponent")

    def api(key):
        _token, raw = ApiToken.objects.issue(user=org_tree.user(key))
        return Client(headers={"authorization": f"Bearer {raw}", "accept-language": "en"})

    url = f"/api/v1/customers/{customer.pk}/decision-chain"
    answer = api("rep_east1a").get(url)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["has_decision_maker"] and body["opposing_decision_maker_ids"] == [maker.pk]
    member = body["groups"][0]["members"][0]
    assert body["groups"][0]["key"] == "decision_makers" and member["attitude"] == "opponent"
    latest = member["history"][0]
    assert latest["changes"] == [
        {"field": "attitude", "old": None, "new": "opponent", "text": "Attitude: — → Opponent"}
    ]
    assert latest["changed_by"] == org_tree.people["rep_east1a"].name
    assert api("manager_east2").get(url).status_code == 404
