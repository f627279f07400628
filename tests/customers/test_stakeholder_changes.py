"""S18: a change of a key stakeholder's role, attitude or influence, and a new decision maker,
give the customer's owner exactly one follow-up naming what changed (old → new), in the
reader's language, whether the change came from a page, the API or the import."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import translation

from salesorg.api.models import ApiToken
from salesorg.customers.models import Contact
from salesorg.customers.services.customers import contact_save
from salesorg.interchange.importer import interchange_import
from salesorg.targets.choices import ActionOrigin
from salesorg.targets.models import ActionItem
from tests.factories import ContactFactory, CustomerFactory
from tests.interchange.helpers import import_sample, sample_folder
from tests.interchange.sample import SAMPLE

pytestmark = pytest.mark.django_db


def _follow_ups(contact=None):
    items = ActionItem.objects.filter(origin=ActionOrigin.STAKEHOLDER)
    return items.filter(source_id=contact.pk) if contact is not None else items


def _change(org_tree, contact, **values):
    for name, value in values.items():
        setattr(contact, name, value)
    return contact_save(
        instance=contact, actor=org_tree.user("rep_east1a"), expected_version=contact.version
    )


@pytest.fixture
def customer(org_tree):
    return CustomerFactory(owner=org_tree.people["rep_east1a"], name="华东机电有限公司")


def test_a_supporter_turning_opponent_gives_the_owner_one_follow_up(org_tree, customer):
    # given a key influencer who supports us
    contact = ContactFactory(
        customer=customer, name="潘平", role="influencer", influence=4, attitude="supporter"
    )
    # when the rep records that they now oppose us
    _change(org_tree, contact, attitude="opponent")
    # then the owner has one follow-up, due in 7 days, on the customer, naming old → new
    item = _follow_ups(contact).get()
    assert item.owner == org_tree.people["rep_east1a"] and item.customer == customer
    assert item.due_date == date.today() + timedelta(days=7)
    with translation.override("en"):
        assert item.display_title == "Follow up: key stakeholder 潘平 at 华东机电有限公司 changed"
        assert "Attitude: Supporter → Opponent" in item.display_detail
    with translation.override("zh-hans"):
        assert item.display_title == "跟进：华东机电有限公司的关键人潘平有变化"
        assert "态度：支持者 → 反对者" in item.display_detail
    # and saving again without a change adds nothing
    _change(org_tree, contact, needs="更快交货")
    assert _follow_ups(contact).count() == 1


def test_a_new_decision_maker_gives_one_follow_up(org_tree, customer):
    # when the rep records a new contact as the decision maker
    contact = contact_save(
        instance=Contact(customer=customer, name="李强", role="decision_maker"),
        actor=org_tree.user("rep_east1a"),
    )
    # then the owner is asked to meet them
    item = _follow_ups(contact).get()
    with translation.override("en"):
        assert item.display_title == "Follow up: new decision maker 李强 at 华东机电有限公司"
        assert "李强" in item.display_detail
    with translation.override("zh-hans"):
        assert item.display_title == "跟进：华东机电有限公司的新决策人李强"
    # a new contact of another role gives none
    contact_save(
        instance=Contact(customer=customer, name="王工", role="user"),
        actor=org_tree.user("rep_east1a"),
    )
    assert _follow_ups().count() == 1


def test_a_contact_becoming_decision_maker_is_a_new_decision_maker(org_tree, customer):
    contact = ContactFactory(customer=customer, name="赵敏", role="influencer", influence=2)
    _change(org_tree, contact, role="decision_maker", influence=5)
    item = _follow_ups(contact).get()
    with translation.override("en"):
        assert item.display_title == "Follow up: new decision maker 赵敏 at 华东机电有限公司"
        detail = item.display_detail
        assert "Buying role: Influencer → Decision maker" in detail and "Influence: 2 → 5" in detail
    with translation.override("zh-hans"):
        assert "采购角色：影响者 → 决策人；影响力：2 → 5" in item.display_detail


def test_a_change_of_influence_making_a_contact_key_is_followed_up(org_tree, customer):
    contact = ContactFactory(customer=customer, name="周工", role="user", influence=None)
    _change(org_tree, contact, influence=4)
    with translation.override("en"):
        assert "Influence: not recorded → 4" in _follow_ups(contact).get().display_detail


def test_a_decision_maker_losing_the_role_is_followed_up(org_tree, customer):
    contact = ContactFactory(customer=customer, role="decision_maker", influence=3)
    _change(org_tree, contact, role="user")
    with translation.override("en"):
        assert "Buying role: Decision maker → User" in _follow_ups(contact).get().display_detail


def test_unimportant_changes_give_no_follow_up(org_tree, customer):
    # a key stakeholder's phone, email, title and needs
    key = ContactFactory(customer=customer, role="decision_maker", influence=5)
    _change(org_tree, key, phone="13800000000", email="a@example.cn", title="总经理", needs="价格")
    # a minor contact's role, attitude and influence (never key before or after)
    minor = ContactFactory(customer=customer, role="user", influence=2, attitude="neutral")
    _change(org_tree, minor, role="gatekeeper", attitude="opponent", influence=3)
    assert not _follow_ups().exists()


def test_a_key_stakeholder_leaving_still_gives_only_the_leaving_follow_up(org_tree, customer):
    contact = ContactFactory(customer=customer, role="decision_maker", attitude="supporter")
    _change(org_tree, contact, status="left", left_on=date(2026, 12, 1), attitude="opponent")
    assert _follow_ups(contact).get().title_key == "customers.stakeholder_left.title"


def test_the_api_creates_the_same_follow_ups(org_tree, customer):
    _token, raw = ApiToken.objects.issue(user=org_tree.user("rep_east1a"))
    api = Client(headers={"authorization": f"Bearer {raw}", "accept-language": "en"})
    contact = ContactFactory(customer=customer, role="influencer", influence=5, attitude="champion")
    answer = api.patch(
        f"/api/v1/contacts/{contact.pk}",
        {"attitude": "skeptic", "version": 1},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["attitude"] == "skeptic" and answer.json()["influence"] == 5
    created = api.post(
        "/api/v1/contacts",
        {
            "customer_id": customer.pk,
            "name": "钱总",
            "role": "decision_maker",
            "attitude": "neutral",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    titles = sorted(item.title_key for item in _follow_ups())
    assert titles == ["customers.stakeholder_changed.title", "customers.stakeholder_new.title"]
    assert (
        api.patch(
            f"/api/v1/contacts/{contact.pk}",
            {"phone": "010-1", "version": 2},
            content_type="application/json",
        ).json()["phone"]
        == "010-1"
    )
    assert _follow_ups().count() == 2


def test_the_import_creates_follow_ups_for_role_changes_but_not_the_first_load(tmp_path):
    # given the first load of a company's data: no follow-ups for what was already there
    import_sample(tmp_path / "first")
    assert not _follow_ups().exists()
    # when a later import makes 郑院长 decision maker, changes a minor role and adds one
    contacts = (
        SAMPLE["contacts.csv"]
        .replace("K-3,C-003,郑院长,院长,,", "K-3,C-003,郑院长,院长,decision_maker,")
        .replace("K-2,C-001,吴工,,user,", "K-2,C-001,吴工,,gatekeeper,")
    ) + "K-4,C-002,孙主任,主任,decision_maker,,\n"
    result = interchange_import(folder=sample_folder(tmp_path / "second", contacts=contacts))
    assert result.ok, result.problems
    # then each new decision maker's owner has exactly one follow-up
    items = {item.source_id: item for item in _follow_ups().select_related("owner")}
    by_code = dict(Contact.objects.values_list("code", "pk"))
    assert set(items) == {by_code["K-3"], by_code["K-4"]}
    assert items[by_code["K-3"]].owner.code == "REP-N1A"
    with translation.override("en"):
        assert "Buying role: not recorded → Decision maker" in items[by_code["K-3"]].display_detail
    # and importing the same files again changes nothing and adds nothing
    again = interchange_import(folder=sample_folder(tmp_path / "third", contacts=contacts))
    assert again.ok and _follow_ups().count() == 2
