"""Two years of realistic, deterministic demo sales records for the demo company.

Catalogue, customers and contacts, orders with lines, invoices, payments, visits,
expenses and targets of an industrial-supplies field-sales company, from January 1
of last year up to `today`. The same company, seed and `today` always give the same
records. Records get a creation history row (simple_history) for demo companies of
up to four regions (scale ≤ 2); larger ones skip it, which halves the load time.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from django.db import transaction

from salesorg.core.roles import Role
from salesorg.demo.catalogue import catalogue_create
from salesorg.demo.customers import contacts_create, customers_create
from salesorg.demo.orders import invoices_and_payments_create, orders_create
from salesorg.demo.org import DemoCompany
from salesorg.demo.records import SalesGenerator, Seller
from salesorg.demo.targets import targets_create
from salesorg.demo.visits import expenses_create, visits_create
from salesorg.org.models import Membership, Team


@transaction.atomic
def demo_records_create(*, company: DemoCompany, seed: int, today: date) -> dict[str, int]:
    """Fill the demo company with two years of sales records; return counts per record type."""
    generator = SalesGenerator(company=company, seed=seed, today=today)
    with _collector_paused():
        return _run(generator)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building records.

    Hundreds of thousands of new model objects would otherwise set off full
    collections again and again: a quarter of the run time at scale 10.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _run(generator: SalesGenerator) -> dict[str, int]:
    generator.sellers = _sellers(generator)
    generator.rep_codes = {seller.person.id: seller.person.code for seller in generator.sellers}
    generator.products = catalogue_create(generator)
    generator.accounts = customers_create(generator)
    contacts_create(generator)
    orders_create(generator)
    invoices_and_payments_create(generator)
    visits_create(generator)
    expenses_create(generator)
    targets_create(generator)
    return generator.counts


def _sellers(generator: SalesGenerator) -> list[Seller]:
    rng = generator.rng(1)
    teams = {team.id: team for team in generator.company.teams}
    reps = sorted((p for p in generator.company.people if p.role == Role.REP), key=lambda p: p.code)
    by_person: dict[int, list[tuple[date, date | None, Team]]] = defaultdict(list)
    for membership in Membership.objects.filter(person__in=reps).order_by("start_date"):
        by_person[membership.person_id].append(
            (membership.start_date, membership.end_date, teams[membership.team_id])
        )
    return [
        Seller(
            person=rep,
            memberships=by_person[rep.id],
            orders_per_month=rng.uniform(8, 15),
            ambition=rng.uniform(0.85, 1.15),
        )
        for rep in reps
    ]
