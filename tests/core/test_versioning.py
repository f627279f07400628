"""No lost updates: a customer, stakeholder or target changed since the writer read it is
refused (form message, API 409), a matching version is accepted and raised by one, and two
real concurrent connections on PostgreSQL cannot both save the same version."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from salesorg.api.models import ApiToken
from salesorg.core.versioning import StaleVersion
from salesorg.customers.models import Contact, Customer
from salesorg.customers.services.customers import contact_save, customer_save
from salesorg.targets.models import Target
from salesorg.targets.services.targets import target_save
from tests.factories import ContactFactory, CustomerFactory, TargetFactory

STALE = "Someone else changed this record since you opened it."


def _api(org_tree, key) -> Client:
    _token, raw = ApiToken.objects.issue(user=org_tree.user(key))
    return Client(headers={"authorization": f"Bearer {raw}"})


# --- services -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_stale_customer_version_is_refused_and_nothing_is_overwritten(org_tree):
    # given a customer that someone saved after we read it (version 1 → 2)
    director = org_tree.user("director")
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"], name="Old")
    first = Customer.objects.get(pk=customer.pk)
    first.name = "First writer"
    customer_save(instance=first, actor=director, expected_version=1)
    # when the second writer saves with the version they read
    second = Customer.objects.get(pk=customer.pk)
    second.name = "Second writer"
    with pytest.raises(StaleVersion) as caught:
        customer_save(instance=second, actor=director, expected_version=1)
    # then they are told, and the first writer's change stays
    assert STALE in caught.value.message_dict["version"][0]
    assert isinstance(caught.value, ValidationError)
    stored = Customer.objects.get(pk=customer.pk)
    assert (stored.name, stored.version) == ("First writer", 2)


@pytest.mark.django_db
def test_a_matching_version_is_accepted_and_raised_by_one(org_tree):
    # given a contact and a target at version 1
    director = org_tree.user("director")
    contact = ContactFactory(customer=CustomerFactory(owner=org_tree.people["rep_east1a"]))
    target = TargetFactory(person=org_tree.people["rep_east1a"])
    # when each is saved with the version read, then without any version
    contact.title = "CFO"
    contact_save(instance=contact, actor=director, expected_version=1)
    target.realistic = target.ideal = Decimal("2000.00")
    target_save(instance=target, actor=director, expected_version=1)
    target_save(instance=target, actor=director)
    # then the versions went up by one per save
    assert Contact.objects.get(pk=contact.pk).version == 2
    assert Target.objects.get(pk=target.pk).version == 3
    # and a new record starts at 1
    assert CustomerFactory(owner=org_tree.people["rep_east1a"]).version == 1


@pytest.mark.django_db
def test_a_stale_target_version_is_refused(org_tree):
    director = org_tree.user("director")
    target = TargetFactory(person=org_tree.people["rep_east1a"])
    Target.objects.filter(pk=target.pk).update(version=5)
    target.realistic = target.ideal = Decimal("9.00")
    with pytest.raises(StaleVersion):
        target_save(instance=target, actor=director, expected_version=4)
    assert Target.objects.get(pk=target.pk).realistic == Decimal("1000.00")


# --- the stakeholder edit form ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_contact_form_re_shows_with_the_message_and_the_users_input(org_tree):
    # given a manager who opened a stakeholder's edit page at version 1
    contact = ContactFactory(
        customer=CustomerFactory(owner=org_tree.people["rep_east1a"]), name="Wang"
    )
    client = org_tree.client("manager_east1")
    url = reverse("customers:contact_edit", args=[contact.pk])
    page = client.get(url)
    assert 'name="expected_version"' in page.content.decode()
    assert page.context["form"].initial["expected_version"] == 1
    # when someone else saves meanwhile, and the manager then submits
    Contact.objects.filter(pk=contact.pk).update(version=2, title="Someone else's")
    response = client.post(
        url, {"name": "Wang Wei", "title": "Mine", "expected_version": "1"}, follow=False
    )
    # then the form re-shows with the message and the manager's input; nothing is overwritten
    assert response.status_code == 200
    html = response.content.decode()
    assert STALE in html
    assert 'value="Mine"' in html
    stored = Contact.objects.get(pk=contact.pk)
    assert (stored.name, stored.title, stored.version) == ("Wang", "Someone else's", 2)
    # and with the current version the save goes through
    response = client.post(url, {"name": "Wang Wei", "title": "Mine", "expected_version": "2"})
    assert response.status_code == 302
    assert Contact.objects.get(pk=contact.pk).version == 3


# --- the API ------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["customers", "contacts", "targets"])
def test_api_patch_with_a_stale_version_is_409_naming_version(org_tree, kind):
    rep = org_tree.people["rep_east1a"]
    customer = CustomerFactory(owner=rep)
    record, change = {
        "customers": (customer, {"name": "New name"}),
        "contacts": (ContactFactory(customer=customer), {"title": "CTO"}),
        "targets": (TargetFactory(person=rep), {"realistic": "1500.00", "ideal": "1500.00"}),
    }[kind]
    api = _api(org_tree, "director")
    url = f"/api/v1/{kind}/{record.pk}"
    # the answer carries the version
    assert api.get(url).json()["version"] == 1
    # a matching version is accepted and raised
    ok = api.patch(url, {**change, "version": 1}, content_type="application/json")
    assert ok.status_code == 200, ok.content
    assert ok.json()["version"] == 2
    # a stale one is 409 naming `version`, and changes nothing
    stale = api.patch(url, {**change, "version": 1}, content_type="application/json")
    assert stale.status_code == 409
    (item,) = stale.json()["detail"]
    assert item["loc"] == ["body", "version"] and STALE in item["msg"]
    assert type(record).objects.get(pk=record.pk).version == 2
    # without a version, the last writer wins as before (and the version still goes up)
    assert api.patch(url, change, content_type="application/json").json()["version"] == 3


# --- two real concurrent connections ------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_connections_cannot_both_save_the_same_version(org_tree):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has no row locks or concurrent writers")
    # given a customer both writers open at version 1
    director = org_tree.user("director")
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"], name="Old")
    barrier = threading.Barrier(2, timeout=20)
    outcomes: dict[str, str] = {}

    def write(name: str) -> None:
        try:
            mine = Customer.objects.get(pk=customer.pk)  # this thread's own connection
            read_version = mine.version
            barrier.wait()  # both have read before either writes
            mine.name = name
            customer_save(instance=mine, actor=director, expected_version=read_version)
            outcomes[name] = "saved"
        except StaleVersion:
            outcomes[name] = "conflict"
        except Exception as error:
            outcomes[name] = repr(error)
        finally:
            connections.close_all()

    # when both save at the same time, each over its own connection
    threads = [threading.Thread(target=write, args=(name,)) for name in ("Alice", "Bob")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    # then exactly one succeeded, the other was told, and the row has the winner's values
    assert sorted(outcomes.values()) == ["conflict", "saved"], outcomes
    (winner,) = [name for name, outcome in outcomes.items() if outcome == "saved"]
    stored = Customer.objects.get(pk=customer.pk)
    assert (stored.name, stored.version) == (winner, 2)
