"""Shared fixtures: a small company whose shape every scoping test relies on."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.utils.module_loading import import_string

from salesorg.core.roles import Role
from salesorg.org.models import Person, Region, Team
from tests.factories import (
    MembershipFactory,
    PersonFactory,
    RegionFactory,
    TeamFactory,
    login_for,
)


@dataclass
class OrgTree:
    """Two regions (east, north), two teams each, a manager and two reps per team.

    Also a director, a finance clerk, a trainer and an admin, each with a login
    (username = person code), plus a former rep of team east-1 who left it.
    """

    regions: dict[str, Region] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)

    def user(self, key: str):
        return self.people[key].user

    def client(self, key: str) -> Client:
        client = Client()
        client.force_login(self.user(key))
        return client


@pytest.fixture
def org_tree(db) -> OrgTree:
    return build_org_tree()


def build_org_tree() -> OrgTree:
    """Two regions of two teams each (a manager and two reps per team), their heads, a
    director, finance, trainer and admin, and a rep who has left; each with a login."""
    tree = OrgTree()
    start = date(2020, 1, 1)
    tree.people["director"] = PersonFactory(code="DIR", role=Role.DIRECTOR)
    for key, role in [("finance", Role.FINANCE), ("trainer", Role.TRAINER), ("admin", Role.ADMIN)]:
        tree.people[key] = PersonFactory(code=key.upper(), role=role)
    for region_key in ("east", "north"):
        head = PersonFactory(code=f"HEAD-{region_key}", role=Role.REGION_HEAD)
        tree.people[f"head_{region_key}"] = head
        region = RegionFactory(code=region_key.upper(), head=head)
        tree.regions[region_key] = region
        for number in (1, 2):
            team_key = f"{region_key}{number}"
            manager = PersonFactory(code=f"MGR-{team_key}", role=Role.MANAGER, manager=head)
            team = TeamFactory(code=team_key.upper(), region=region, manager=manager)
            tree.teams[team_key] = team
            tree.people[f"manager_{team_key}"] = manager
            MembershipFactory(person=manager, team=team, start_date=start)
            for rep_letter in ("a", "b"):
                rep = PersonFactory(code=f"REP-{team_key}{rep_letter}", manager=manager)
                tree.people[f"rep_{team_key}{rep_letter}"] = rep
                MembershipFactory(person=rep, team=team, start_date=start)
    former = PersonFactory(code="REP-former", leave_date=date(2021, 6, 30))
    tree.people["rep_former"] = former
    MembershipFactory(
        person=former, team=tree.teams["east1"], start_date=start, end_date=date(2021, 6, 30)
    )
    for person in tree.people.values():
        login_for(person)
    return tree


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """pytest-django's database setup, with each test database copied from a migrated template.

    See tests/dbtemplate.py; --no-migrations and other database engines keep the plain setup.
    """
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    from tests import dbtemplate

    verbosity = request.config.option.verbose
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    keep_existing = django_db_keepdb and not django_db_createdb
    keepers = []
    with django_db_blocker.unblock():
        templated = django_db_use_migrations and dbtemplate.templated_aliases(aliases)
        if not django_db_use_migrations:
            _disable_migrations()
        if templated:
            keepers = dbtemplate.prepare_test_databases(
                templated,
                run_id=dbtemplate.new_run_id(request.config),
                rebuild=django_db_createdb,
                keep_existing=keep_existing,
                verbosity=verbosity,
            )
        db_config = setup_databases(
            verbosity=verbosity,
            interactive=False,
            aliases=aliases,
            serialized_aliases=serialized_aliases,
            keepdb=bool(templated) or keep_existing,
        )
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            teardown_databases(db_config, verbosity=verbosity)
    for keeper in keepers:
        keeper.close()


@pytest.fixture(autouse=True)
def english_by_default(settings):
    """Tests read messages in English unless they switch language themselves."""
    settings.LANGUAGE_CODE = "en"


# Each feature area adds its records for the scoping matrix in its own module:
# `add_records(records, org_tree)` stores them in `records.extra`.
RECORD_EXTENSIONS = (
    "tests.targets.records.add_records",
    "tests.customers.records.add_records",
    "tests.development.records.add_records",
    "tests.performance.records.add_records",
    "tests.core.records.add_records",
)


@dataclass
class OrgRecords:
    """Sales records for every rep of org_tree: a customer with a contact, a confirmed order
    with a line, an invoice with a payment, a visit and an expense; plus a category and a
    product, a visit purpose with a checklist, and targets of a person, a team, a region and
    the company. Keys are the rep keys of org_tree (`rep_east1a` …)."""

    customers: dict = field(default_factory=dict)
    contacts: dict = field(default_factory=dict)
    orders: dict = field(default_factory=dict)
    invoices: dict = field(default_factory=dict)
    payments: dict = field(default_factory=dict)
    visits: dict = field(default_factory=dict)
    expenses: dict = field(default_factory=dict)
    targets: list = field(default_factory=list)
    action_items: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)  # records added by RECORD_EXTENSIONS, by name
    category: object = None
    product: object = None
    purpose: object = None


@pytest.fixture
def org_records(org_tree) -> OrgRecords:
    return build_org_records(org_tree)


def build_org_records(org_tree: OrgTree) -> OrgRecords:
    """The records of OrgRecords for `org_tree` (plus every area's RECORD_EXTENSIONS)."""
    from salesorg.sales.models import ChecklistStep, VisitPurpose, VisitStep
    from salesorg.work.actions import action_item_create
    from tests.factories import (
        CategoryFactory,
        ContactFactory,
        CustomerFactory,
        ExpenseFactory,
        InvoiceFactory,
        OrderFactory,
        OrderLineFactory,
        PaymentFactory,
        ProductFactory,
        TargetFactory,
        VisitFactory,
    )

    records = OrgRecords()
    records.category = CategoryFactory(code="CAT-A", focus=True)
    records.product = ProductFactory(code="PRD-A", category=records.category)
    records.purpose = VisitPurpose.objects.create(code="FIRST", name="初次拜访")
    step = ChecklistStep.objects.create(purpose=records.purpose, position=1, text="了解需求")
    for key, rep in org_tree.people.items():
        if not key.startswith("rep_"):
            continue
        suffix = rep.code.removeprefix("REP-")
        customer = CustomerFactory(code=f"CUST-{suffix}", name=f"客户{suffix}", owner=rep)
        records.customers[key] = customer
        contact = ContactFactory(code=f"CON-{suffix}", customer=customer, name=f"联系人{suffix}")
        records.contacts[key] = contact
        order = OrderFactory(code=f"ORD-{suffix}", customer=customer, rep=rep)
        OrderLineFactory(order=order, line_no=1, product=records.product)
        records.orders[key] = order
        invoice = InvoiceFactory(
            code=f"INV-{suffix}", customer=customer, rep=rep, order=order, amount=Decimal("100")
        )
        records.invoices[key] = invoice
        records.payments[key] = PaymentFactory(
            code=f"PAY-{suffix}", invoice=invoice, amount=Decimal("40")
        )
        visit = VisitFactory(
            code=f"VIS-{suffix}", customer=customer, rep=rep, purpose_type=records.purpose
        )
        visit.contacts.add(contact)
        VisitStep.objects.create(visit=visit, step=step, done=True)
        records.visits[key] = visit
        records.expenses[key] = ExpenseFactory(code=f"EXP-{suffix}", rep=rep)
        records.action_items[key] = action_item_create(
            title=f"跟进{suffix}", owner=rep, due_date=date(2026, 1, 31), customer=customer
        )
    people, teams, regions = org_tree.people, org_tree.teams, org_tree.regions
    records.targets = [
        TargetFactory(person=people["rep_east1a"]),
        TargetFactory(person=people["rep_north1a"]),
        TargetFactory(owner_type="team", person=None, team=teams["east1"]),
        TargetFactory(owner_type="team", person=None, team=teams["north2"]),
        TargetFactory(owner_type="region", person=None, region=regions["east"]),
        TargetFactory(owner_type="region", person=None, region=regions["north"]),
        TargetFactory(owner_type="company", person=None),
    ]
    for extension in RECORD_EXTENSIONS:
        import_string(extension)(records, org_tree)
    return records
