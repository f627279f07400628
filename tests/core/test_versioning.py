"""No lost updates: a customer, stakeholder or target changed since the writer read it is
refused (form message, API 409), and so is a change that does not say which version it read
(#21 F10); a matching version is accepted and raised by one, only the system's own writes
skip the check (and say so), and two real concurrent connections on PostgreSQL cannot both
save the same version."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from salesorg.api.models import ApiToken
from salesorg.core.versioning import StaleVersion, version_check
from salesorg.customers.models import Contact, Customer
from salesorg.customers.services.customers import contact_save, customer_save
from salesorg.targets.models import Target
from salesorg.targets.services.targets import target_save
from tests.factories import ContactFactory, CustomerFactory, TargetFactory

STALE = "Someone else changed this record since you opened it."
MISSING = "does not say which version of the record it is based on"


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
    # when each is saved with the version read, then by the system (no version read)
    contact.title = "CFO"
    contact_save(instance=contact, actor=director, expected_version=1)
    target.realistic = target.ideal = Decimal("2000.00")
    target_save(instance=target, actor=director, expected_version=1)
    target_save(instance=target, actor=director, system=True)
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


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["customer", "contact", "target"])
def test_a_change_without_the_version_read_is_refused(org_tree, kind):
    # given a stored customer, contact or target that someone else just changed (version 2)
    director = org_tree.user("director")
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"], name="Old")
    record, save, field, value = {
        "customer": (customer, customer_save, "name", "Mine"),
        "contact": (ContactFactory(customer=customer), contact_save, "title", "Mine"),
        "target": (
            TargetFactory(person=org_tree.people["rep_east1a"]),
            target_save,
            "realistic",
            Decimal("1000.00"),
        ),
    }[kind]
    type(record).objects.filter(pk=record.pk).update(version=2)
    # when a writer saves it without saying which version they read
    setattr(record, field, value)
    if kind == "target":
        record.realistic, record.ideal = Decimal("5.00"), Decimal("5.00")
    with pytest.raises(StaleVersion) as caught:
        save(instance=record, actor=director)
    # then they are told, naming `version`, and nothing is overwritten
    assert MISSING in caught.value.message_dict["version"][0]
    assert type(record).objects.get(pk=record.pk).version == 2
    if kind == "target":
        assert Target.objects.get(pk=record.pk).realistic == Decimal("1000.00")
    else:
        assert getattr(type(record).objects.get(pk=record.pk), field) != "Mine"


@pytest.mark.django_db
def test_only_an_explicit_system_change_skips_the_version(org_tree):
    # a new record needs no version; the system's own change says so and raises it
    target = TargetFactory(person=org_tree.people["rep_east1a"])
    with pytest.raises(StaleVersion):
        version_check(instance=target, expected_version=None)
    version_check(instance=target, expected_version=None, system=True)
    assert target.version == 2


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


@pytest.mark.django_db
def test_the_contact_form_without_its_version_re_shows_and_saves_nothing(org_tree):
    # given a stakeholder's edit page posted without its hidden version (an old tab, a script)
    contact = ContactFactory(
        customer=CustomerFactory(owner=org_tree.people["rep_east1a"]), name="Wang"
    )
    url = reverse("customers:contact_edit", args=[contact.pk])
    response = org_tree.client("manager_east1").post(url, {"name": "Wang Wei", "title": "Mine"})
    # then the form re-shows with the message and the input; nothing is saved
    assert response.status_code == 200
    html = response.content.decode()
    assert MISSING in html and 'value="Mine"' in html
    stored = Contact.objects.get(pk=contact.pk)
    assert (stored.name, stored.version) == ("Wang", 1)


@pytest.mark.django_db
def test_the_left_or_replaced_form_carries_the_version_and_refuses_a_stale_one(org_tree):
    # given a manager who opened "left / replaced" of a stakeholder at version 1
    contact = ContactFactory(
        customer=CustomerFactory(owner=org_tree.people["rep_east1a"]), name="Wang"
    )
    client = org_tree.client("manager_east1")
    url = reverse("customers:contact_leave", args=[contact.pk])
    page = client.get(url)
    assert 'name="expected_version"' in page.content.decode()
    assert page.context["form"].initial["expected_version"] == 1
    # when someone else changes the stakeholder meanwhile, and the manager submits
    Contact.objects.filter(pk=contact.pk).update(version=2, title="Someone else's")
    response = client.post(url, {"left_on": "2026-03-04", "expected_version": "1"})
    # then the form re-shows with the message and the date typed; the contact is still active
    assert response.status_code == 200
    html = response.content.decode()
    assert STALE in html and 'value="2026-03-04"' in html
    assert Contact.objects.get(pk=contact.pk).status == "active"
    # without the version it is refused too; with the current one it goes through
    assert client.post(url, {"left_on": "2026-03-04"}).status_code == 200
    assert Contact.objects.get(pk=contact.pk).status == "active"
    response = client.post(url, {"left_on": "2026-03-04", "expected_version": "2"})
    assert response.status_code == 302
    stored = Contact.objects.get(pk=contact.pk)
    assert (stored.status, stored.version) == ("left", 3)


def _edit_pages_of_versioned_models():
    """(route, model) of every edit page (an UpdateView by pk) of a model with a `version`."""
    from django.urls import URLPattern, URLResolver, get_resolver
    from django.views.generic.edit import UpdateView

    def walk(resolver, prefix=""):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                yield prefix + str(entry.pattern), getattr(entry.callback, "view_class", None)

    return [
        (route, view.model)
        for route, view in walk(get_resolver())
        if view is not None
        and issubclass(view, UpdateView)
        and any(field.name == "version" for field in view.model._meta.concrete_fields)
    ]


@pytest.mark.django_db
def test_every_edit_page_of_a_versioned_record_carries_its_version(org_tree):
    pages = _edit_pages_of_versioned_models()
    assert {route for route, _model in pages} >= {
        "customers/contacts/<int:pk>/edit/",
        "customers/contacts/<int:pk>/left/",
    }
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    records = {Customer: customer, Contact: ContactFactory(customer=customer)}
    records[Target] = TargetFactory(person=org_tree.people["rep_east1a"])
    client = org_tree.client("director")
    for route, model in pages:
        record = records[model]
        type(record).objects.filter(pk=record.pk).update(version=7)
        html = client.get("/" + route.replace("<int:pk>", str(record.pk))).content.decode()
        assert 'name="expected_version"' in html and 'value="7"' in html, route


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
    # without a version it is refused the same way (#21 F10: no silent overwrite)
    missing = api.patch(url, change, content_type="application/json")
    assert missing.status_code == 409
    (item,) = missing.json()["detail"]
    assert item["loc"] == ["body", "version"] and MISSING in item["msg"]
    assert type(record).objects.get(pk=record.pk).version == 2


@pytest.mark.parametrize("kind", ["customers", "contacts", "targets"])
def test_the_openapi_document_says_a_patch_needs_the_version(kind):
    from salesorg.api.routes import api

    document = api.get_openapi_schema()
    operation = document["paths"][f"/api/v1/{kind}/{{pk}}"]["patch"]
    reference = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = document["components"]["schemas"][reference.rsplit("/", 1)[1]]
    assert "version" in schema.get("required", [])
    assert "409" in operation["responses"]


# --- two real concurrent connections ------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite has no row locks or concurrent writers",
)  # a mark, not a skip inside: a transactional test's teardown empties the seeded tables
def test_two_concurrent_connections_cannot_both_save_the_same_version(org_tree):
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


# --- the admin's change forms -------------------------------------------------------------------


def _admin_form(org_tree, record, **changes):
    """The admin's change form of `record` as its user posts it (its shown values + changes)."""
    from django.contrib import admin
    from django.test import RequestFactory

    admin.autodiscover()  # as the URLconf does: the admin modules load on the admin's first use
    request = RequestFactory().get("/")
    request.user = org_tree.user("admin")
    model_admin = admin.site._registry[type(record)]
    form_class = model_admin.get_form(request, record)
    shown = form_class(instance=record)
    data = {}
    for name, field in shown.fields.items():
        value = shown.initial.get(name, field.initial)
        data[name] = field.prepare_value(value) if value is not None else ""
    data.update(changes)
    return form_class(data, instance=type(record).objects.get(pk=record.pk))


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["customer", "contact"])
def test_the_admin_change_form_carries_the_version_and_refuses_a_stale_one(org_tree, kind):
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"], name="Old")
    record = customer if kind == "customer" else ContactFactory(customer=customer, name="Old")
    # the form the admin opens carries version 1
    opened = _admin_form(org_tree, record)
    assert 'name="expected_version"' in str(opened) and opened.data["expected_version"] == 1
    # someone else saves meanwhile: the admin's save is refused with the message
    type(record).objects.filter(pk=record.pk).update(version=2, name="Someone else's")
    stale = _admin_form(org_tree, record, name="Mine")
    assert not stale.is_valid() and STALE in " ".join(stale.non_field_errors())
    missing = _admin_form(org_tree, record, name="Mine", expected_version="")
    assert not missing.is_valid() and MISSING in " ".join(missing.non_field_errors())
    # with the current version it saves, and the version goes up
    current = _admin_form(org_tree, record, name="Mine", expected_version=2)
    assert current.is_valid(), current.errors
    current.save()
    stored = type(record).objects.get(pk=record.pk)
    assert (stored.name, stored.version) == ("Mine", 3)
