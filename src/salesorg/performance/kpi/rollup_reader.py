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
from operator import add

from django.db import connections
from django.db.models import Count, Q, Sum

from salesorg.core.dbrouter import report_read_alias
from salesorg.core.roles import Role
from salesorg.customers.models import Customer
from salesorg.performance.choices import Facts
from salesorg.performance.kpi import facts
from salesorg.performance.kpi.attribution import COMPANY_KEY, PERSON, OrgSnapshot, UnitKey
from salesorg.performance.kpi.periods import Period, month_end
from salesorg.performance.kpi.rollup_sums import (
    MONTH_SUMS,
    credit_sales_lines,
    month_sums,
    pairs_q,
    split_months,
)
from salesorg.performance.kpi.sql import Key, in_ranges, table_name
from salesorg.performance.models import (
    RollupCategoryMonth,
    RollupCustomerYear,
    RollupFirstOrder,
    RollupInvoiceDay,
    RollupMonth,
    RollupPayment,
    RollupPaymentDay,
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

    def __init__(
        self,
        *,
        org: OrgSnapshot,
        period: Period,
        people: set[int] | None = None,
        company_only: bool = False,
    ) -> None:
        """`people` limits the reading to the facts of these people (None: everyone).

        `company_only` is for a table of the company alone: every fact counts for the
        company whatever its day, so no month is split and each person's months of the
        period are one (the totals of other units are then not theirs, and not read).
        """
        assert period.covers_whole_months, "rollups hold whole months"
        self.org = org
        self.period = period
        self.people = people
        self.company_only = company_only
        self.split = set() if company_only else split_months(org, people)
        self.split_in_period = {(p, m) for p, m in self.split if period.start <= m <= period.end}
        self._pending: dict[Key, Counter] = {}
        # The split months that have rows in the month rollups read: only they can have
        # invoice or payment days (an invoice makes a RollupMonth row, a payment a
        # RollupPayment row), so only they are read per day.
        self._split_with_rows: set[Key] = set()

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
        units_of, split = self.org.units_of, self.split
        reps = {person.id for person in self.org.people.values() if person.role == Role.REP}
        visits_at, service_calls_at = MONTH_SUMS.index("visits"), MONTH_SUMS.index("service_calls")
        # The clean months are added up per set of units, then credited once per unit.
        by_units: dict[tuple[UnitKey, ...], list] = {}
        for person_id, month, *values in self._month_sums(wanted):
            if (person_id, month) in split:
                self._split_with_rows.add((person_id, month))
                continue
            if person_id not in reps:  # KPI.md: visits by reps
                values[visits_at] = values[service_calls_at] = 0
            units = units_of(person_id=person_id, day=month)
            sums = by_units.get(units)
            by_units[units] = values if sums is None else list(map(add, sums, values))
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
        """(person, month, *MONTH_SUMS) of the rollups of the `wanted` fact families; the
        months of P of the people who stay in their units all P as one (they count for
        the same units in each)."""
        moving = (
            set()
            if self.company_only
            else self.org.people_moving(
                start=self.period.start, end=self.period.end, among=self.people
            )
        )
        return month_sums(period=self.period, people=self.people, wanted=wanted, moving=moving)

    def _credit_opening(self, *, totals: dict) -> None:
        """ar_opening of the clean months before P: invoiced less paid before P (one query)."""
        start = self.period.start
        people, people_params = "", []
        if self.people is not None:
            if not self.people:
                return
            people = f" AND t.person_id IN ({', '.join(['%s'] * len(self.people))})"
            people_params = sorted(self.people)
        with connections[report_read_alias()].cursor() as cursor:
            cursor.execute(
                f"""SELECT s.person_id, s.month, CAST(SUM(s.cents) AS bigint) FROM (
                  SELECT t.person_id, t.month, t.invoiced AS cents
                  FROM {table_name(RollupMonth)} t
                  WHERE t.month < %s{people}
                  UNION ALL
                  SELECT t.person_id, t.invoice_month, -t.amount
                  FROM {table_name(RollupPayment)} t
                  WHERE t.invoice_month < %s AND t.payment_month < %s{people}
                ) s GROUP BY s.person_id, s.month""",
                [start, *people_params, start, start, *people_params],
            )
            rows = cursor.fetchall()
        for person_id, month, cents in rows:
            month = month if isinstance(month, date) else date.fromisoformat(month)
            if not self._clean(person_id, month):
                self._split_with_rows.add((person_id, month))
            elif cents:
                self._credit(totals, person_id, month, {"ar_opening": int(cents)})

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
        """Invoiced, collected and opening receivables of the split months, per invoice day
        from the day rollups (`RollupInvoiceDay`, `RollupPaymentDay`), in one statement.

        A payment of P is credited on its invoice's date, which may be outside P (a payment
        dated before its invoice, or on an older invoice): every split month is read for
        the payments of P; the opening balance reads the split months before P.
        """
        start, end = self.period.start, self.period.end
        ranges = sorted(
            (person_id, month, month_end(year=month.year, month=month.month))
            for person_id, month in self._split_with_rows
        )
        if not ranges:
            return
        invoice_days, paid_days = table_name(RollupInvoiceDay), table_name(RollupPaymentDay)
        parts, params = [], []

        def part(metric: int, table: str, ranges: list, day: str, amount: str, where: str, *args):
            from_clause = in_ranges(table, ranges, person="person_id", day=day)
            parts.append(
                f"SELECT {metric} AS metric, t.person_id AS person_id, t.{day} AS day, "
                f"{amount} AS cents FROM {from_clause} WHERE {where}"
            )
            params.extend(args)

        part(0, invoice_days, ranges, "day", "t.amount", "t.day BETWEEN %s AND %s", start, end)
        part(1, paid_days, ranges, "invoice_day", "t.amount", "t.payment_month BETWEEN %s AND %s",
             start, end)  # fmt: skip
        earlier = [triple for triple in ranges if triple[1] < start]
        if earlier:
            part(2, invoice_days, earlier, "day", "t.amount", "t.day < %s", start)
            part(2, paid_days, earlier, "invoice_day", "-t.amount",
                 "t.invoice_day < %s AND t.payment_month < %s", start, start)  # fmt: skip
        metrics = ("invoiced", "collected", "ar_opening")
        with connections[report_read_alias()].cursor() as cursor:
            cursor.execute(
                f"""SELECT s.metric, s.person_id, s.day, SUM(s.cents)
                FROM ({" UNION ALL ".join(parts)}) s
                GROUP BY s.metric, s.person_id, s.day""",
                params,
            )
            rows = cursor.fetchall()
        for metric, person_id, day, cents in rows:
            if cents:
                day = day if isinstance(day, date) else date.fromisoformat(day)
                self._credit(totals, person_id, day, {metrics[metric]: int(cents)})

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
        # A raw cursor: a year at 1,000 reps is 100k rows, which the ORM's converters and
        # chunked fetches made a third of the whole table's time.
        years = sorted(period_bits)
        where = f"t.year IN ({', '.join(['%s'] * len(years))})"
        params: list = [*years]
        if self.people is not None:
            where += f" AND t.person_id IN ({', '.join(['%s'] * len(self.people))})"
            params += sorted(self.people)
        rows: list[tuple] = []
        if self.people is None or self.people:  # nobody's rows: no query (IN () is invalid)
            with connections[report_read_alias()].cursor() as cursor:
                cursor.execute(
                    f"""SELECT t.person_id, t.customer_id, c.industry, t.year, t.months
                    FROM {table_name(RollupCustomerYear)} t
                    JOIN {table_name(Customer)} c ON c.id = t.customer_id
                    WHERE {where}""",
                    params,
                )
                rows = cursor.fetchall()
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
