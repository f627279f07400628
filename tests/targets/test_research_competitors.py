"""Competitor intelligence from the field (S17): reps record competitor notes on their own
customers; such notes are read like those customers and show on the customer page and on
the development proposals of that customer."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from salesorg.api.models import ApiToken
from salesorg.customers.models import DevelopmentProposal
from salesorg.targets.models import ResearchKind, ResearchNote
from salesorg.targets.services.plans import research_note_save
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _api(org_tree, role) -> Client:
    _token, raw = ApiToken.objects.issue(user=org_tree.user(role))
    return Client(headers={"authorization": f"Bearer {raw}"})


def _field_errors(response) -> dict:
    return {item["loc"][-1]: item["msg"] for item in response.json()["detail"]}


@pytest.fixture
def customers(org_tree):
    return {
        "own": CustomerFactory(code="CU-OWN", owner=org_tree.people["rep_east1a"]),
        "teammate": CustomerFactory(code="CU-MATE", owner=org_tree.people["rep_east1b"]),
        "north": CustomerFactory(code="CU-NORTH", owner=org_tree.people["rep_north1a"]),
    }


def _note(org_tree, customers, key="own", role="rep_east1a", subject="对手降价5%"):
    note = ResearchNote(
        kind=ResearchKind.COMPETITOR,
        subject=subject,
        competitor="华东机电",
        price=Decimal("88.80"),
        observed_on=date(2026, 11, 20),
    )
    return research_note_save(instance=note, actor=org_tree.user(role), customers=[customers[key]])


def test_a_rep_records_a_competitor_note_on_their_own_customer(org_tree, customers):
    rep = _api(org_tree, "rep_east1a")
    created = rep.post(
        "/api/v1/research-notes",
        {
            "kind": "competitor",
            "subject": "对手降价5%",
            "competitor": "华东机电",
            "price": "88.80",
            "observed_on": "2026-11-20",
            "customer_ids": [customers["own"].pk],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["author_id"] == org_tree.people["rep_east1a"].pk
    assert body["customer_ids"] == [customers["own"].pk]
    changed = rep.patch(
        f"/api/v1/research-notes/{body['id']}",
        {"notes": "客户采购经理透露"},
        content_type="application/json",
    )
    assert changed.status_code == 200
    assert ResearchNote.objects.get().notes == "客户采购经理透露"


def test_a_rep_cannot_link_another_teams_customer_or_none_or_write_market_notes(
    org_tree, customers
):
    rep = _api(org_tree, "rep_east1a")
    payload = {"kind": "competitor", "subject": "x", "observed_on": "2026-11-20"}
    other_team = rep.post(
        "/api/v1/research-notes",
        {**payload, "customer_ids": [customers["north"].pk]},
        content_type="application/json",
    )
    assert other_team.status_code == 400 and "customer_ids" in _field_errors(other_team)
    teammate = rep.post(
        "/api/v1/research-notes",
        {**payload, "customer_ids": [customers["teammate"].pk]},
        content_type="application/json",
    )
    assert teammate.status_code == 400 and "customer_ids" in _field_errors(teammate)
    unlinked = rep.post("/api/v1/research-notes", payload, content_type="application/json")
    assert unlinked.status_code == 400 and "customer_ids" in _field_errors(unlinked)
    market = rep.post(
        "/api/v1/research-notes",
        {**payload, "kind": "market", "customer_ids": [customers["own"].pk]},
        content_type="application/json",
    )
    assert market.status_code == 403
    assert not ResearchNote.objects.exists()
    with pytest.raises(ValidationError) as error:
        _note(org_tree, customers, key="north")
    assert "customers" in error.value.message_dict


def test_a_rep_cannot_turn_their_note_into_a_market_note_or_change_anothers(org_tree, customers):
    note = _note(org_tree, customers)
    turned = _api(org_tree, "rep_east1a").patch(
        f"/api/v1/research-notes/{note.pk}", {"kind": "market"}, content_type="application/json"
    )
    assert turned.status_code == 403
    other = _api(org_tree, "manager_east1").patch(
        f"/api/v1/research-notes/{note.pk}", {"subject": "y"}, content_type="application/json"
    )
    assert other.status_code == 403


def test_competitor_notes_are_read_like_their_customers_market_notes_by_everyone(
    org_tree, customers
):
    linked = _note(org_tree, customers)
    market = research_note_save(
        instance=ResearchNote(subject="行业增长", observed_on=date(2026, 11, 1)),
        actor=org_tree.user("director"),
    )
    unlinked = research_note_save(
        instance=ResearchNote(
            kind=ResearchKind.COMPETITOR, subject="对手新品", observed_on=date(2026, 11, 2)
        ),
        actor=org_tree.user("manager_north1"),
    )
    expected = {
        "rep_east1a": {linked, market, unlinked},
        "rep_east1b": {market, unlinked},
        "rep_north1a": {market, unlinked},
        "manager_east1": {linked, market, unlinked},
        "manager_north1": {linked, market, unlinked},
        "head_east": {linked, market, unlinked},
        "director": {linked, market, unlinked},
        "finance": {linked, market, unlinked},
        "trainer": {market, unlinked},
        "rep_former": set(),
    }
    for role, notes in expected.items():
        seen = set(ResearchNote.objects.visible_to(org_tree.user(role)))
        assert seen == notes, role
        listed = _api(org_tree, role).get("/api/v1/research-notes").json()
        if role != "rep_former":
            assert {item["id"] for item in listed["items"]} == {n.pk for n in notes}, role
    hidden = _api(org_tree, "rep_east1b").get(f"/api/v1/research-notes/{linked.pk}")
    assert hidden.status_code == 404


def test_the_customer_page_shows_its_competitor_notes_and_links_to_record_one(org_tree, customers):
    _note(org_tree, customers, subject="对手降价5%")
    _note(org_tree, customers, key="teammate", role="rep_east1b", subject="队友客户情报")
    page = org_tree.client("rep_east1a").get(customers["own"].get_absolute_url())
    text = page.content.decode()
    assert "对手降价5%" in text and "华东机电" in text and "队友客户情报" not in text
    assert "/targets/research/new/?customer=CU-OWN" in text
    manager_page = org_tree.client("manager_east1").get(customers["teammate"].get_absolute_url())
    assert "队友客户情报" in manager_page.content.decode()
    finance_page = org_tree.client("finance").get(customers["own"].get_absolute_url())
    assert "/targets/research/new/?customer=" not in finance_page.content.decode()


def test_a_rep_records_from_the_customer_page_and_returns_to_it(org_tree, customers):
    client = org_tree.client("rep_east1a")
    url = "/targets/research/new/?customer=CU-OWN"
    form = client.get(url)
    assert form.status_code == 200
    text = form.content.decode()
    assert 'value="CU-OWN"' in text and 'value="market"' not in text
    response = client.post(
        url,
        {
            "kind": "competitor",
            "subject": "对手送样",
            "customer_codes": "CU-OWN",
            "observed_on": "2026-11-25",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == customers["own"].get_absolute_url()
    note = ResearchNote.objects.get()
    assert note.author == org_tree.people["rep_east1a"]
    assert list(note.customers.all()) == [customers["own"]]
    refused = client.post(
        url,
        {
            "kind": "competitor",
            "subject": "别人的客户",
            "customer_codes": "CU-NORTH",
            "observed_on": "2026-11-25",
        },
    )
    assert refused.status_code == 200 and ResearchNote.objects.count() == 1


def test_the_proposal_of_a_customer_shows_its_competitor_notes(org_tree, customers):
    _note(org_tree, customers, subject="对手降价5%")
    proposal = DevelopmentProposal.objects.create(
        rep=org_tree.people["rep_east1a"],
        customer=customers["own"],
        market_analysis="m",
        competitor_analysis="c",
        planned_approach="p",
        expected_sales=Decimal("100000"),
        expected_margin=Decimal("20000"),
    )
    page = org_tree.client("manager_east1").get(proposal.get_absolute_url())
    assert "对手降价5%" in page.content.decode()
