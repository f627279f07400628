"""Follow-ups (跟进): a rep sets a dated follow-up with a reminder on a customer, a visit or
a contact; it shows on their home page when it is due or its reminder day comes, and on
their manager's home page with the team's other open follow-ups."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from salesorg.sales.models import Visit
from salesorg.targets.choices import ActionOrigin, ActionStatus
from salesorg.targets.models import ActionItem
from salesorg.work.actions import follow_up_create
from tests.factories import ContactFactory, CustomerFactory


@pytest.fixture
def today():
    return timezone.localdate()


def _form(today, **extra):
    data = {"title": "回访报价", "due_date": (today + timedelta(days=5)).isoformat()}
    data.update(extra)
    return data


def _only_item() -> ActionItem:
    return ActionItem.objects.get(origin=ActionOrigin.FOLLOW_UP)


# --- creating one ---------------------------------------------------------------------------


def test_a_rep_sets_a_follow_up_on_their_customer(org_tree, org_records, today):
    customer = org_records.customers["rep_east1a"]
    client = org_tree.client("rep_east1a")
    url = f"/customers/{customer.pk}/follow-ups/add/"
    assert client.get(customer.get_absolute_url()).content.decode().count(url) == 1
    remind = (today + timedelta(days=3)).isoformat()
    response = client.post(url, _form(today, remind_on=remind))
    assert response.status_code == 302 and response["Location"] == customer.get_absolute_url()
    item = _only_item()
    assert item.owner == org_tree.people["rep_east1a"]
    assert item.created_by == org_tree.people["rep_east1a"]
    assert (item.customer, item.source, item.status) == (customer, customer, ActionStatus.OPEN)
    assert (item.due_date, item.remind_on) == (today + timedelta(days=5), today + timedelta(3))
    page = client.get(customer.get_absolute_url()).content.decode()
    assert "回访报价" in page  # the customer page lists its open follow-ups
    page = client.get(item.get_absolute_url()).content.decode()
    assert f'data-testid="remind-on">{remind}<' in page


def test_a_rep_sets_a_follow_up_on_a_visit(org_tree, org_records, today):
    visit = org_records.visits["rep_east1a"]
    client = org_tree.client("rep_east1a")
    url = f"/sales/visits/{visit.pk}/follow-ups/add/"
    assert url in client.get(visit.get_absolute_url()).content.decode()
    assert client.post(url, _form(today)).status_code == 302
    item = _only_item()
    assert (item.source, item.customer, item.remind_on) == (visit, visit.customer, None)
    assert item.reminder_date == item.due_date  # no remind-on date: reminded on the due date


def test_a_rep_sets_a_follow_up_on_a_contact(org_tree, org_records, today):
    contact = org_records.contacts["rep_east1a"]
    client = org_tree.client("rep_east1a")
    url = f"/customers/contacts/{contact.pk}/follow-ups/add/"
    assert url in client.get(contact.get_absolute_url()).content.decode()
    assert client.post(url, _form(today)).status_code == 302
    item = _only_item()
    assert (item.source, item.customer) == (contact, contact.customer)


def test_the_follow_up_page_of_a_visit_starts_from_its_next_step(org_tree, org_records):
    visit = org_records.visits["rep_east1a"]
    visit.next_step = "下周送样品"
    visit.save()
    page = org_tree.client("rep_east1a").get(f"/sales/visits/{visit.pk}/follow-ups/add/")
    assert 'value="下周送样品"' in page.content.decode()


def test_a_manager_gives_a_follow_up_to_a_rep_of_their_team(org_tree, org_records, today):
    customer = org_records.customers["rep_east1b"]
    rep = org_tree.people["rep_east1b"]
    client = org_tree.client("manager_east1")
    url = f"/customers/{customer.pk}/follow-ups/add/"
    assert f'value="{rep.pk}"' in client.get(url).content.decode()
    assert client.post(url, _form(today, owner=rep.pk)).status_code == 302
    item = _only_item()
    assert (item.owner, item.created_by) == (rep, org_tree.people["manager_east1"])


def test_a_rep_may_give_a_follow_up_only_to_themselves(org_tree, org_records, today):
    customer = org_records.customers["rep_east1a"]
    other = org_tree.people["rep_east1b"]
    client = org_tree.client("rep_east1a")
    url = f"/customers/{customer.pk}/follow-ups/add/"
    assert f'value="{other.pk}"' not in client.get(url).content.decode()
    client.post(url, _form(today, owner=other.pk))
    assert _only_item().owner == org_tree.people["rep_east1a"]
    with pytest.raises(ValidationError) as error:
        follow_up_create(
            actor=org_tree.user("rep_east1a"),
            source=customer,
            title="x",
            due_date=today,
            owner=other,
        )
    assert "owner" in error.value.message_dict


def test_a_director_gives_follow_ups_to_the_sales_force_only(org_tree, org_records):
    customer = org_records.customers["rep_north2a"]
    page = org_tree.client("director").get(f"/customers/{customer.pk}/follow-ups/add/")
    page = page.content.decode()
    assert f'value="{org_tree.people["rep_north2a"].pk}"' in page
    assert f'value="{org_tree.people["finance"].pk}"' not in page
    assert f'value="{org_tree.people["rep_former"].pk}"' not in page


@pytest.mark.parametrize("role", ["finance", "trainer"])
def test_people_outside_the_sales_force_set_no_follow_ups(org_tree, org_records, today, role):
    customer = org_records.customers["rep_east1a"]
    client = org_tree.client(role)
    url = f"/customers/{customer.pk}/follow-ups/add/"
    assert client.get(url).status_code in (403, 404)
    client.post(url, _form(today))
    assert not ActionItem.objects.filter(origin=ActionOrigin.FOLLOW_UP).exists()


def test_another_reps_customer_is_not_found(org_tree, org_records, today):
    customer = org_records.customers["rep_east1b"]
    client = org_tree.client("rep_east1a")
    assert client.post(f"/customers/{customer.pk}/follow-ups/add/", _form(today)).status_code == 404
    assert not ActionItem.objects.filter(origin=ActionOrigin.FOLLOW_UP).exists()


# --- bad dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change,field,message",
    [
        ({"due_date": ""}, "due_date", "This field is required."),
        ({"due_date": "yesterday"}, "due_date", "The due date cannot be in the past."),
        ({"remind_on": "after"}, "remind_on", "The reminder cannot come after the due date."),
    ],
    ids=["missing", "past", "reminder-after-due"],
)
def test_bad_dates_are_refused_with_a_clear_message(
    org_tree, org_records, today, change, field, message
):
    dates = {
        "yesterday": (today - timedelta(days=1)).isoformat(),
        "after": (today + timedelta(days=6)).isoformat(),
    }
    change = {key: dates.get(value, value) for key, value in change.items()}
    customer = org_records.customers["rep_east1a"]
    client = org_tree.client("rep_east1a")
    response = client.post(f"/customers/{customer.pk}/follow-ups/add/", _form(today, **change))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ActionItem.objects.filter(origin=ActionOrigin.FOLLOW_UP).exists()


def test_the_service_names_the_field_of_each_bad_date(org_tree, org_records, today):
    with pytest.raises(ValidationError) as error:
        follow_up_create(
            actor=org_tree.user("rep_east1a"),
            source=org_records.customers["rep_east1a"],
            title="回访",
            due_date=today - timedelta(days=1),
            remind_on=today,
        )
    assert set(error.value.message_dict) == {"due_date", "remind_on"}


# --- the visit form -------------------------------------------------------------------------


def _visit_post(customer, **extra):
    data = {"customer": customer.pk, "visit_date": "2026-01-05", "kind": "visit"}
    data.update(extra)
    return data


def test_the_visit_form_with_a_follow_up_date_creates_exactly_one_follow_up(org_tree, today):
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    client = org_tree.client("rep_east1a")
    assert 'name="follow_up_on"' in client.get("/sales/visits/log/").content.decode()
    due = today + timedelta(days=7)
    response = client.post(
        "/sales/visits/log/",
        _visit_post(customer, next_step="下周报价", follow_up_on=due.isoformat()),
    )
    assert response.status_code == 302
    visit = Visit.objects.get()
    item = ActionItem.objects.get()
    assert (item.title, item.due_date, item.origin) == ("下周报价", due, ActionOrigin.FOLLOW_UP)
    assert (item.source, item.customer, item.owner) == (visit, customer, visit.rep)


def test_the_visit_form_without_a_follow_up_date_creates_none(org_tree):
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    client = org_tree.client("rep_east1a")
    client.post("/sales/visits/log/", _visit_post(customer, next_step="下周报价"))
    assert Visit.objects.count() == 1 and not ActionItem.objects.exists()


@pytest.mark.parametrize(
    "next_step,days,message",
    [
        ("", 3, "Write the next step to follow up on."),
        ("下周报价", -1, "The due date cannot be in the past."),
    ],
    ids=["no-next-step", "past"],
)
def test_a_bad_follow_up_on_the_visit_form_saves_nothing(org_tree, today, next_step, days, message):
    customer = CustomerFactory(owner=org_tree.people["rep_east1a"])
    client = org_tree.client("rep_east1a")
    follow_up_on = (today + timedelta(days=days)).isoformat()
    response = client.post(
        "/sales/visits/log/",
        _visit_post(customer, next_step=next_step, follow_up_on=follow_up_on),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Visit.objects.exists() and not ActionItem.objects.exists()


# --- the home pages -------------------------------------------------------------------------


def _follow_up(org_tree, source, title, *, due, remind_on=None, key="rep_east1a", today=None):
    """A follow-up of the rep's, created `today` (back-dated so that it may be overdue now)."""
    return follow_up_create(
        actor=org_tree.user(key),
        source=source,
        title=title,
        due_date=due,
        remind_on=remind_on,
        today=min(due, remind_on or due),
    )


@pytest.fixture
def follow_ups(org_tree, org_records, today):
    customer = org_records.customers["rep_east1a"]
    visit = org_records.visits["rep_east1a"]
    contact = org_records.contacts["rep_east1a"]
    day = timedelta(days=1)
    return {
        "overdue": _follow_up(org_tree, customer, "逾期的跟进", due=today - 2 * day),
        "today": _follow_up(org_tree, visit, "今天的跟进", due=today),
        "reminded": _follow_up(
            org_tree, contact, "提醒到了", due=today + 9 * day, remind_on=today - day
        ),
        "later": _follow_up(
            org_tree, customer, "以后再说", due=today + 9 * day, remind_on=today + 2 * day
        ),
    }


def test_the_owners_home_shows_what_is_overdue_due_today_and_reminded(org_tree, follow_ups):
    page = org_tree.client("rep_east1a").get("/").content.decode()
    card = page[page.index('id="follow-ups"') :]
    assert card.index("逾期的跟进") < card.index("今天的跟进") < card.index("提醒到了")
    assert "以后再说" not in page  # its reminder day has not come
    for key in ("overdue", "today", "reminded"):
        assert follow_ups[key].source.get_absolute_url() in card  # linked to where it came from


def test_the_managers_home_shows_the_teams_open_follow_ups_overdue_first(org_tree, follow_ups):
    page = org_tree.client("manager_east1").get("/").content.decode()
    card = page[page.index('id="team-follow-ups"') :]
    assert card.index("逾期的跟进") < card.index("今天的跟进") < card.index("以后再说")
    assert org_tree.people["rep_east1a"].name in card
    assert follow_ups["overdue"].customer.get_absolute_url() in card


def test_another_teams_manager_does_not_see_them(org_tree, follow_ups):
    for key in ("manager_north1", "manager_east2", "rep_east1b"):
        page = org_tree.client(key).get("/").content.decode()
        assert "逾期的跟进" not in page and "以后再说" not in page, key


def test_a_follow_up_is_marked_done_from_the_home_page(org_tree, follow_ups):
    client = org_tree.client("rep_east1a")
    page = client.get("/").content.decode()
    item = follow_ups["overdue"]
    action = f"/targets/actions/{item.pk}/status/"
    assert action in page
    response = client.post(action, {"status": "done", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    item.refresh_from_db()
    assert item.status == ActionStatus.DONE
    assert "逾期的跟进" not in client.get("/").content.decode()


@pytest.mark.parametrize("key", ["rep_east1a", "manager_east1"])
def test_the_home_page_reads_follow_ups_in_a_fixed_number_of_queries(
    org_tree, org_records, today, key, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = org_tree.client(key)
    sources = [
        org_records.customers["rep_east1a"],
        org_records.visits["rep_east1a"],
        org_records.contacts["rep_east1a"],
    ]
    for source in sources:
        _follow_up(org_tree, source, "一件", due=today - timedelta(days=1))
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for number in range(6):
        for source in sources:
            _follow_up(org_tree, source, f"又一件{number}", due=today - timedelta(days=number))
        ContactFactory(customer=sources[0])
    with django_assert_max_num_queries(len(few)):
        assert client.get("/").status_code == 200
