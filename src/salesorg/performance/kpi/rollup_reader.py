"""The engine's facts read from the rollups, for periods of whole months.

A rollup row holds a person's facts of one month. Crediting it to units needs the
person's memberships to be the same all month; where a membership starts or ends inside
a month (a *split* month of that person) the rollup row is skipped and that person's
facts of that month are read from the raw records instead (`facts`, with `only=`), so
the result is exactly the raw engine's. Split months are rare: team moves.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, Sum

from salesorg.core.roles import Role
from salesorg.customers.models import Customer
from salesorg.performance.choices import Facts
from salesorg.performance.kpi import facts
from salesorg.performance.kpi.attribution import COMPANY_KEY, PERSON, OrgSnapshot, UnitKey
from salesorg.performance.kpi.periods import Period
from salesorg.performance.kpi.rollup_sums import (
    MONTH_SUMS,
    credit_sales_lines,
    month_sums,
    pairs_q,
    split_months,
)
from salesorg.performance.kpi.sql import Key
from salesorg.performance.models import (
    RollupCategoryMonth,
    RollupCustomerYear,
    RollupFirstOrder,
    RollupMonth,
    RollupPayment,
    RollupVisitDay,
)
from salesorg.sales.choices import OrderStatus
from salesorg.sales.models import Order


@dataclass
class _Segment:
    """A person's year for the customer count: the units a customer bought from them in
    any month of the period counts for (`always`: the person, the company), per group of
    clean months with the same teams those teams and regions (`masks`), or, when one set
    of units holds for every month of the period, that set (`fixed`). `customers` and
    `industries` gather the rows whose units are `fixed`."""

    always: tuple[UnitKey, ...]
    masks: list[tuple[int, tuple[UnitKey, ...]]]
    fixed: tuple[UnitKey, ...] | None
    customers: list[int] = field(default_factory=list)
    industries: set[str] = field(default_factory=set)


class RollupReader:
    """The facts of one whole-month period from the rollups, credited to units."""

    def __init__(self, *, org: OrgSnapshot, period: Period, people: set[int] | None = None) -> None:
        """`people` limits the reading to the facts of these people (None: everyone)."""
        assert period.covers_whole_months, "rollups hold whole months"
        self.org = org
        self.period = period
        self.people = people
        self.split = {(p, m) for p, m in split_months(org) if people is None or p in people}
        self.split_in_period = {(p, m) for p, m in self.split if period.start <= m <= period.end}
        self._pending: dict[Key, Counter] = {}

    def _mine(self, queryset, field: str = "person_id"):
        """A rollup query narrowed to the people read (a single rep's page reads one)."""
        if self.people is None:
            return queryset
        return queryset.filter(**{f"{field}__in": sorted(self.people)})

    def _clean(self, person_id: int, month: date) -> bool:
        return (person_id, month) not in self.split

    def _credit(self, totals: dict, person_id: int, day: date, values: dict) -> None:
        """Note a person's facts of a day; `_flush` credits them to units once per key.

        In a clean month every day counts for the same units as the 1st, so the facts
        are collected per (person, month) there and per day only in split months.
        """
        month = day.replace(day=1)
        key = (person_id, day) if (person_id, month) in self.split else (person_id, month)
        bucket = self._pending.get(key)
        if bucket is None:
            bucket = self._pending[key] = Counter()
        for name, value in values.items():
            bucket[name] += value

    def _flush(self, totals: dict) -> None:
        # A person's months with the same teams credit the same units: add them up per
        # set of units first, then once into each unit (a tenth of the Counter updates).
        units_of = self.org.units_of
        by_units: dict[tuple[UnitKey, ...], Counter] = {}
        for (person_id, day), values in self._pending.items():
            units = units_of(person_id=person_id, day=day)
            bucket = by_units.get(units)
            if bucket is None:
                by_units[units] = values
            else:
                bucket.update(values)
        for units, values in by_units.items():
            for unit in units:
                totals[unit].update(values)
        self._pending = {}

    def _raw_only(self, *, person: str, day: str) -> Q | None:
        return pairs_q(self.split_in_period, person=person, day=day)

    # Sales, margin and product mix ---------------------------------------------

    def credit_sales(self, *, totals: dict, mix: dict, focus: set[int]) -> None:
        """Sales, cost, focus sales and the mix per category of every unit (product mix).

        A person whose units are the same in every month of P is summed over P in SQL
        (a row per category instead of one per month and category); the others, and
        their split months, are read month by month.
        """
        org, period = self.org, self.period
        months = [date(year, month, 1) for year, month in period.months()]
        varying = {person_id for person_id, _month in self.split_in_period}
        for person_id in org.people if self.people is None else self.people:
            units = org.units_of(person_id=person_id, day=months[0])
            if any(org.units_of(person_id=person_id, day=m) != units for m in months[1:]):
                varying.add(person_id)
        rows = self._mine(
            RollupCategoryMonth.objects.filter(month__range=(period.start, period.end))
        ).order_by()
        by_units: dict[tuple[UnitKey, ...], dict[int, list[int]]] = {}

        def add(units, category_id: int, amount, cost, lines) -> None:
            categories = by_units.get(units)
            if categories is None:
                categories = by_units[units] = {}
            sums = categories.get(category_id)
            if sums is None:
                categories[category_id] = [int(amount), int(cost), int(lines)]
            else:
                sums[0] += int(amount)
                sums[1] += int(cost)
                sums[2] += int(lines)

        for person_id, category_id, amount, cost, lines in (
            rows.exclude(person_id__in=sorted(varying))
            .values_list("person_id", "category_id")
            .annotate(amount=Sum("amount"), cost=Sum("cost"), lines=Sum("lines"))
        ):
            add(org.units_of(person_id=person_id, day=months[0]), category_id, amount, cost, lines)
        if varying:
            for person_id, month, category_id, amount, cost, lines in rows.filter(
                person_id__in=sorted(varying)
            ).values_list("person_id", "month", "category_id", "amount", "cost", "lines"):
                if self._clean(person_id, month):
                    units = org.units_of(person_id=person_id, day=month)
                    add(units, category_id, amount, cost, lines)
        for units, categories in by_units.items():
            for unit in units:
                unit_totals, unit_mix = totals[unit], mix[unit]
                for category_id, (amount, cost, lines) in categories.items():
                    unit_totals["sales"] += amount
                    unit_totals["cost"] += cost
                    if category_id in focus:
                        unit_totals["focus_sales"] += amount
                    unit_mix[category_id]["amount"] += amount
                    unit_mix[category_id]["lines"] += lines
        self._split_sales(totals=totals, mix=mix, focus=focus)

    # The whole table's additive facts ------------------------------------------

    def credit_all(
        self, *, totals: dict, focus: set[int], wanted: frozenset[str] = frozenset(Facts)
    ) -> None:
        """The additive facts of the `wanted` families: one query for the clean months."""
        people, units_of, split = self.org.people, self.org.units_of, self.split
        visits_at, service_calls_at = MONTH_SUMS.index("visits"), MONTH_SUMS.index("service_calls")
        # The clean months are added up per set of units, then credited once per unit.
        by_units: dict[tuple[UnitKey, ...], list] = {}
        for person_id, month, *values in self._month_sums(wanted):
            if (person_id, month) in split:
                continue
            person = people.get(person_id)
            if person is None or person.role != Role.REP:  # KPI.md: visits by reps
                values[visits_at] = values[service_calls_at] = 0
            units = units_of(person_id=person_id, day=month)
            sums = by_units.get(units)
            if sums is None:
                by_units[units] = values
            else:
                for index, value in enumerate(values):
                    sums[index] += value
        for units, sums in by_units.items():
            credited = {name: int(value) for name, value in zip(MONTH_SUMS, sums, strict=True)}
            for unit in units:
                totals[unit].update(credited)
        if Facts.RECEIVABLES in wanted:
            self._credit_opening(totals=totals)
        self._flush(totals)
        if Facts.SALES in wanted:
            self._split_sales(totals=totals, mix=None, focus=focus)
        self._split_additive(totals=totals, wanted=wanted)
        self._flush(totals)

    def _month_sums(self, wanted: frozenset[str]) -> list[tuple]:
        """(person, month, *MONTH_SUMS) of the rollups of the `wanted` fact families."""
        return month_sums(period=self.period, people=self.people, wanted=wanted)

    def _credit_opening(self, *, totals: dict) -> None:
        """ar_opening of the clean months before P: invoiced less paid before P."""
        start = self.period.start
        opening: Counter = Counter()
        for person_id, month, invoiced in (
            self._mine(RollupMonth.objects.filter(month__lt=start))
            .exclude(invoiced=0)
            .values_list("person_id", "month", "invoiced")
        ):
            opening[(person_id, month)] += invoiced
        for person_id, invoice_month, cents in (
            self._mine(
                RollupPayment.objects.filter(invoice_month__lt=start, payment_month__lt=start)
            )
            .order_by()
            .values_list("person_id", "invoice_month")
            .annotate(total=Sum("amount"))
        ):
            opening[(person_id, invoice_month)] -= cents
        for (person_id, month), cents in opening.items():
            if cents and self._clean(person_id, month):
                self._credit(totals, person_id, month, {"ar_opening": cents})

    def _split_sales(self, *, totals: dict, mix: dict | None, focus: set[int]) -> None:
        """Sales in the split months, from the raw order lines."""
        only = self._raw_only(person="order__rep_id", day="order__order_date")
        if only is not None:
            credit_sales_lines(
                org=self.org,
                rows=facts.sales_lines(period=self.period, only=only),
                totals=totals,
                mix=mix,
                focus=focus,
            )

    def _split_additive(self, *, totals: dict, wanted: frozenset[str]) -> None:
        """The other facts of the split months: raw records, or the rollups' days."""
        period = self.period
        if Facts.EXPENSES in wanted:
            only = self._raw_only(person="rep_id", day="expense_date")
            if only is not None:
                for rep_id, day, cents in facts.expenses(period=period, only=only):
                    self._credit(totals, rep_id, day, {"expenses": cents})
        if Facts.RECEIVABLES in wanted:
            self._split_receivables(totals=totals)
        if Facts.VISITS in wanted:
            self._split_visits(totals=totals)
        if Facts.CUSTOMERS in wanted:
            self._split_customers(totals=totals)

    def _split_receivables(self, *, totals: dict) -> None:
        period, start, end = self.period, self.period.start, self.period.end
        only = self._raw_only(person="rep_id", day="invoice_date")
        if only is not None:
            for rep_id, day, cents in facts.invoiced(period=period, only=only):
                self._credit(totals, rep_id, day, {"invoiced": cents})
        # A payment of P is credited on its invoice's date, which may be after P (a payment
        # dated before its invoice): every split month with payments of P is read raw.
        collected_only = pairs_q(
            self._with_rows(
                RollupPayment.objects.filter(payment_month__range=(start, end)),
                self.split,
                month="invoice_month",
            ),
            person="rep_id",
            day="invoice_date",
        )
        if collected_only is not None:
            for rep_id, day, cents in facts.collected_on_invoices(
                period=period, invoices=collected_only
            ):
                self._credit(totals, rep_id, day, {"collected": cents})
        opening_only = pairs_q(
            self._with_rows(
                RollupMonth.objects.all(), {(p, m) for p, m in self.split if m < start}
            ),
            person="rep_id",
            day="invoice_date",
        )
        if opening_only is not None:
            for rep_id, day, cents in facts.opening_receivables(period=period, only=opening_only):
                self._credit(totals, rep_id, day, {"ar_opening": cents})

    def _split_visits(self, *, totals: dict) -> None:
        only = pairs_q(self.split_in_period, person="person_id", day="month")
        if only is not None:
            people = self.org.people
            for person_id, day, visits, service_calls in RollupVisitDay.objects.filter(
                only
            ).values_list("person_id", "day", "visits", "service_calls"):
                person = people.get(person_id)
                if person is not None and person.role == Role.REP:
                    self._credit(
                        totals, person_id, day, {"visits": visits, "service_calls": service_calls}
                    )

    def _split_customers(self, *, totals: dict) -> None:
        start, end = self.period.start, self.period.end
        firsts = RollupFirstOrder.objects.filter(day__range=(start, end)).order_by()
        created = Customer.objects.filter(created_date__range=(start, end)).order_by()
        for rows, person, day, metric in (
            (firsts, "person_id", "day", "new_customers"),
            (created, "owner_id", "created_date", "prospects_added"),
        ):
            only = pairs_q(self.split_in_period, person=person, day=day)
            if only is not None:
                for person_id, when, count in (
                    rows.filter(only).values_list(person, day).annotate(count=Count("pk"))
                ):
                    self._credit(totals, person_id, when, {metric: count})

    @staticmethod
    def _with_rows(rollup, pairs: set[Key], *, month: str = "month") -> set[Key]:
        """The split months among `pairs` that have a row in `rollup` (a queryset).

        A person's split months include the month their first membership began, often
        years back; a month without a RollupMonth row has no invoice, and one without a
        RollupPayment row of P no payment of P, so the raw queries need not name it (one
        OR term per month makes them slow).
        """
        if not pairs:
            return set()
        found = (
            rollup.filter(
                person_id__in=sorted({p for p, _m in pairs}),
                **{f"{month}__in": sorted({m for _p, m in pairs})},
            )
            .order_by()
            .values_list("person_id", month)
            .distinct()
        )
        return {key for key in found if key in pairs}

    # Customers and breadth ----------------------------------------------------------

    def customer_breadth(self) -> dict[UnitKey, tuple[int, int]]:
        """(distinct customers, distinct non-empty industries) of every unit."""
        customers: dict[UnitKey, set[int]] = defaultdict(set)
        industries: dict[UnitKey, set[str]] = defaultdict(set)
        period_bits: dict[int, int] = defaultdict(int)
        for year, month in self.period.months():
            period_bits[year] |= 1 << (month - 1)
        segments = self._segments(period_bits)
        org = self.org
        rows = self._mine(
            RollupCustomerYear.objects.filter(year__in=list(period_bits))
        ).values_list("person_id", "customer_id", "customer__industry", "year", "months")
        unknown = _Segment(always=(COMPANY_KEY,), masks=[], fixed=(COMPANY_KEY,))
        varying: dict[tuple[UnitKey, ...], _Segment] = {}
        for person_id, customer_id, industry, year, months in rows:
            hit = months & period_bits[year]
            if not hit:
                continue
            segment = segments.get((person_id, year), unknown)
            if segment.fixed is None:  # teams changed during the year: the months decide
                units = segment.always
                for mask, unit_keys in segment.masks:
                    if hit & mask:
                        units += unit_keys
                segment = varying.get(units)
                if segment is None:
                    segment = varying[units] = _Segment(always=units, masks=[], fixed=units)
            segment.customers.append(customer_id)
            if industry:
                segment.industries.add(industry)
        # Rows were gathered per segment; each unit takes a segment's rows at once.
        for segment in [*segments.values(), unknown, *varying.values()]:
            if segment.customers:
                for unit in segment.fixed:
                    customers[unit].update(segment.customers)
                    industries[unit].update(segment.industries)
        only = self._raw_only(person="rep_id", day="order_date")
        if only is not None:
            raw = (
                Order.objects.filter(
                    only,
                    status=OrderStatus.CONFIRMED,
                    order_date__range=(self.period.start, self.period.end),
                )
                .order_by()
                .values_list("rep_id", "order_date", "customer_id", "customer__industry")
                .distinct()
            )
            for rep_id, day, customer_id, industry in raw:
                for unit in org.units_of(person_id=rep_id, day=day):
                    customers[unit].add(customer_id)
                    if industry:
                        industries[unit].add(industry)
        return {
            unit: (len(found), len(industries.get(unit, ()))) for unit, found in customers.items()
        }

    def _segments(self, period_bits: dict[int, int]) -> dict[tuple[int, int], _Segment]:
        """Per (person, year): the units a customer bought in any month always counts for
        (the person, the company) and, per group of clean months with the same teams, the
        teams and regions."""
        org = self.org
        segments: dict[tuple[int, int], _Segment] = {}
        for person_id in org.people if self.people is None else self.people:
            for year, bits in period_bits.items():
                always = tuple(
                    unit
                    for unit in org.units_of(person_id=person_id, day=date(year, 1, 1))
                    if unit[0] == PERSON or unit == COMPANY_KEY
                )
                groups: dict[tuple[UnitKey, ...], int] = defaultdict(int)
                for month in range(1, 13):
                    bit = 1 << (month - 1)
                    first = date(year, month, 1)
                    if not bits & bit or not self._clean(person_id, first):
                        continue
                    team_units = tuple(
                        unit
                        for unit in org.units_of(person_id=person_id, day=first)
                        if unit[0] != PERSON and unit != COMPANY_KEY
                    )
                    if team_units:
                        groups[team_units] |= bit
                masks = [(mask, units) for units, mask in groups.items()]
                # One team set all the period's months: the units do not depend on the bits.
                fixed = None
                if not masks:
                    fixed = always
                elif len(masks) == 1 and masks[0][0] == bits:
                    fixed = always + masks[0][1]
                segments[(person_id, year)] = _Segment(always=always, masks=masks, fixed=fixed)
        return segments
