"""The engine's facts read from the rollups, for periods of whole months.

A rollup row holds a person's facts of one month. Crediting it to units needs the
person's memberships to be the same all month; where a membership starts or ends inside
a month (a *split* month of that person) the rollup row is skipped and that person's
facts of that month are read from the raw records instead (`facts`, with `only=`), so
the result is exactly the raw engine's. Split months are rare: team moves.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from salesorg.customers.models import Customer
from salesorg.org.choices import Role
from salesorg.performance import facts
from salesorg.performance.attribution import COMPANY_KEY, PERSON, TEAM, OrgSnapshot, UnitKey
from salesorg.performance.models import (
    RollupCategoryMonth,
    RollupCustomerYear,
    RollupFirstOrder,
    RollupMonth,
    RollupPayment,
    RollupVisitDay,
)
from salesorg.performance.periods import Period, month_end
from salesorg.sales.choices import OrderStatus
from salesorg.sales.models import Order

Key = tuple[int, date]
UNKNOWN_PERSON = {"always": [COMPANY_KEY], "masks": [], "fixed": [COMPANY_KEY]}


def split_months(org: OrgSnapshot) -> set[Key]:
    """(person, month) pairs in which one of the person's memberships starts or ends."""
    split: set[Key] = set()
    for person_id, stints in org.stints.items():
        for stint in stints:
            if stint.start.day != 1:
                split.add((person_id, stint.start.replace(day=1)))
            end = stint.end
            if end is not None and end != month_end(year=end.year, month=end.month):
                split.add((person_id, end.replace(day=1)))
    return split


def pairs_q(pairs: set[Key], *, person: str, day: str) -> Q | None:
    """Rows of the given persons' months: one OR term per month."""
    by_month: dict[date, list[int]] = defaultdict(list)
    for person_id, month in pairs:
        by_month[month].append(person_id)
    condition = None
    for month, person_ids in sorted(by_month.items()):
        term = Q(
            **{
                f"{person}__in": sorted(person_ids),
                f"{day}__range": (month, month_end(year=month.year, month=month.month)),
            }
        )
        condition = term if condition is None else condition | term
    return condition


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
        units_of = self.org.units_of
        for (person_id, day), values in self._pending.items():
            for unit in units_of(person_id=person_id, day=day):
                totals[unit].update(values)
        self._pending = {}

    def _raw_only(self, *, person: str, day: str) -> Q | None:
        return pairs_q(self.split_in_period, person=person, day=day)

    # Sales, margin and product mix ---------------------------------------------

    def credit_sales(self, *, totals: dict, mix: dict | None, focus: set[int]) -> None:
        """Sales, cost, focus sales (and the mix per category) of every unit."""
        start, end = self.period.start, self.period.end
        if mix is None:
            rows = self._mine(RollupMonth.objects.filter(month__range=(start, end))).values_list(
                "person_id", "month", "sales", "cost"
            )
            for person_id, month, sales, cost in rows:
                if self._clean(person_id, month) and (sales or cost):
                    self._credit(totals, person_id, month, {"sales": sales, "cost": cost})
            focus_rows = (
                # by the flag, not the ids: one query also when no category is a focus
                self._mine(
                    RollupCategoryMonth.objects.filter(
                        month__range=(start, end), category__focus=True
                    )
                )
                .order_by()
                .values_list("person_id", "month")
                .annotate(amount=Sum("amount"))
            )
            for person_id, month, amount in focus_rows:
                if self._clean(person_id, month):
                    self._credit(totals, person_id, month, {"focus_sales": amount})
        else:
            rows = self._mine(
                RollupCategoryMonth.objects.filter(month__range=(start, end))
            ).values_list("person_id", "month", "category_id", "amount", "cost", "lines")
            for person_id, month, category_id, amount, cost, lines in rows:
                if not self._clean(person_id, month):
                    continue
                for unit in self.org.units_of(person_id=person_id, day=month):
                    unit_totals = totals[unit]
                    unit_totals["sales"] += amount
                    unit_totals["cost"] += cost
                    if category_id in focus:
                        unit_totals["focus_sales"] += amount
                    mix[unit][category_id]["amount"] += amount
                    mix[unit][category_id]["lines"] += lines
        self._flush(totals)
        only = self._raw_only(person="order__rep_id", day="order__order_date")
        if only is None:
            return
        for rep_id, day, category_id, amount, cost, lines in facts.sales_lines(
            period=self.period, only=only
        ):
            for unit in self.org.units_of(person_id=rep_id, day=day):
                unit_totals = totals[unit]
                unit_totals["sales"] += amount
                unit_totals["cost"] += cost
                if category_id in focus:
                    unit_totals["focus_sales"] += amount
                if mix is not None:
                    mix[unit][category_id]["amount"] += amount
                    mix[unit][category_id]["lines"] += lines

    # The other additive facts ---------------------------------------------------

    def credit_additive(self, *, totals: dict) -> None:
        """Receivables, invoiced, collected, expenses, visits, new customers, prospects."""
        period, start, end = self.period, self.period.start, self.period.end
        for person_id, month, invoiced, expenses in self._mine(
            RollupMonth.objects.filter(month__range=(start, end))
        ).values_list("person_id", "month", "invoiced", "expenses"):
            if self._clean(person_id, month) and (invoiced or expenses):
                self._credit(totals, person_id, month, {"invoiced": invoiced, "expenses": expenses})
        self._credit_receivables(totals=totals)
        self._credit_visits(totals=totals)
        firsts = self._mine(RollupFirstOrder.objects.filter(day__range=(start, end))).order_by()
        created = Customer.objects.filter(created_date__range=(start, end)).order_by()
        if self.people is not None:
            created = created.filter(owner_id__in=sorted(self.people))
        for rows, person, day, metric in (
            (firsts, "person_id", "day", "new_customers"),
            (created, "owner_id", "created_date", "prospects_added"),
        ):
            # Per month in SQL; per day only in the months where memberships change.
            for person_id, month, count in (
                rows.annotate(month=TruncMonth(day))
                .values_list(person, "month")
                .annotate(count=Count("pk"))
            ):
                if self._clean(person_id, month):
                    self._credit(totals, person_id, month, {metric: count})
            only = pairs_q(self.split_in_period, person=person, day=day)
            if only is not None:
                for person_id, when, count in (
                    rows.filter(only).values_list(person, day).annotate(count=Count("pk"))
                ):
                    self._credit(totals, person_id, when, {metric: count})
        only = self._raw_only(person="rep_id", day="invoice_date")
        if only is not None:
            for rep_id, day, cents in facts.invoiced(period=period, only=only):
                self._credit(totals, rep_id, day, {"invoiced": cents})
            only = self._raw_only(person="rep_id", day="expense_date")
            for rep_id, day, cents in facts.expenses(period=period, only=only):
                self._credit(totals, rep_id, day, {"expenses": cents})
        self._flush(totals)

    def _credit_receivables(self, *, totals: dict) -> None:
        """ar_opening and collected, by the invoice's person and month."""
        period, start, end = self.period, self.period.start, self.period.end
        for person_id, invoice_month, cents in (
            self._mine(RollupPayment.objects.filter(payment_month__range=(start, end)))
            .order_by()
            .values_list("person_id", "invoice_month")
            .annotate(total=Sum("amount"))
        ):
            if self._clean(person_id, invoice_month) and cents:
                self._credit(totals, person_id, invoice_month, {"collected": cents})
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
        # Split invoice months, also before P: from the raw invoices and payments.
        collected_only = pairs_q(
            {(p, m) for p, m in self.split if m <= end}, person="rep_id", day="invoice_date"
        )
        if collected_only is not None:
            for rep_id, day, cents in facts.collected_on_invoices(
                period=period, invoices=collected_only
            ):
                self._credit(totals, rep_id, day, {"collected": cents})
        opening_only = pairs_q(
            {(p, m) for p, m in self.split if m < start}, person="rep_id", day="invoice_date"
        )
        if opening_only is not None:
            for rep_id, day, cents in facts.opening_receivables(period=period, only=opening_only):
                self._credit(totals, rep_id, day, {"ar_opening": cents})

    def _credit_visits(self, *, totals: dict) -> None:
        """Visits and service calls of reps (KPI.md, Visits), per day in split months."""
        start, end = self.period.start, self.period.end
        people = self.org.people

        def is_rep(person_id: int) -> bool:
            person = people.get(person_id)
            return person is not None and person.role == Role.REP

        for person_id, month, visits, service_calls in (
            self._mine(RollupVisitDay.objects.filter(month__range=(start, end)))
            .order_by()
            .values_list("person_id", "month")
            .annotate(visits=Sum("visits"), service_calls=Sum("service_calls"))
        ):
            if self._clean(person_id, month) and is_rep(person_id):
                self._credit(
                    totals,
                    person_id,
                    month,
                    {"visits": visits, "service_calls": service_calls},
                )
        only = pairs_q(self.split_in_period, person="person_id", day="month")
        if only is None:
            return
        for person_id, day, visits, service_calls in RollupVisitDay.objects.filter(
            only
        ).values_list("person_id", "day", "visits", "service_calls"):
            if is_rep(person_id):
                self._credit(
                    totals, person_id, day, {"visits": visits, "service_calls": service_calls}
                )

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
        for person_id, customer_id, industry, year, months in rows:
            hit = months & period_bits[year]
            if not hit:
                continue
            segment = segments.get((person_id, year), UNKNOWN_PERSON)
            units = segment["fixed"]
            if units is None:  # teams changed during the year: the months decide
                units = list(segment["always"])
                for mask, unit_keys in segment["masks"]:
                    if hit & mask:
                        units.extend(unit_keys)
            for unit in units:
                customers[unit].add(customer_id)
            if industry:
                for unit in units:
                    industries[unit].add(industry)
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

    def _segments(self, period_bits: dict[int, int]) -> dict[tuple[int, int], dict]:
        """Per (person, year): the units a customer bought in any month always counts for
        (the person, the company) and, per group of clean months with the same teams, the
        teams and regions."""
        org = self.org
        segments: dict[tuple[int, int], dict] = {}
        for person_id in org.people if self.people is None else self.people:
            for year, bits in period_bits.items():
                always = [
                    unit
                    for unit in org.units_of(person_id=person_id, day=date(year, 1, 1))
                    if unit[0] == PERSON or unit == COMPANY_KEY
                ]
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
                    fixed = always + list(masks[0][1])
                segments[(person_id, year)] = {"always": always, "masks": masks, "fixed": fixed}
        return segments


# Series of one unit (dashboards) ------------------------------------------------------


def people_of(org: OrgSnapshot, unit: UnitKey) -> set[int] | None:
    """The people whose facts may count for `unit` (None: everyone, the company)."""
    level, unit_id = unit
    if unit == COMPANY_KEY:
        return None
    if level == PERSON:
        return {unit_id}
    teams = (
        {unit_id}
        if level == TEAM
        else {team_id for team_id, team in org.teams.items() if team.region_id == unit_id}
    )
    return {
        person_id
        for person_id, stints in org.stints.items()
        if any(stint.team_id in teams for stint in stints)
    }


def monthly_sales(*, org: OrgSnapshot, period: Period, unit: UnitKey) -> Counter:
    """A unit's confirmed sales in cents per (year, month), credited as the engine does."""
    by_month: Counter = Counter()
    months = RollupMonth.objects.filter(month__range=(period.start, period.end)).order_by()
    people = people_of(org, unit)
    if people is None:  # the company counts every fact: no memberships needed
        for month, sales in months.values_list("month").annotate(total=Sum("sales")):
            by_month[(month.year, month.month)] += sales
        return by_month
    reader = RollupReader(org=org, period=period)
    for person_id, month, sales in months.filter(person_id__in=people).values_list(
        "person_id", "month", "sales"
    ):
        if reader._clean(person_id, month) and unit in org.units_of(person_id=person_id, day=month):
            by_month[(month.year, month.month)] += sales
    split = {(p, m) for p, m in reader.split_in_period if p in people}
    only = pairs_q(split, person="order__rep_id", day="order__order_date")
    if only is not None:
        for rep_id, day, _category, amount, _cost, _lines in facts.sales_lines(
            period=period, only=only
        ):
            if unit in org.units_of(person_id=rep_id, day=day):
                by_month[(day.year, day.month)] += amount
    return by_month


def daily_visits(*, org: OrgSnapshot, period: Period, unit: UnitKey) -> Counter:
    """A unit's visits (KPI.md, Visits) per day, credited as the engine does."""
    by_day: Counter = Counter()
    days = RollupVisitDay.objects.filter(
        day__range=(period.start, period.end), person__role=Role.REP, visits__gt=0
    ).order_by()
    people = people_of(org, unit)
    if people is None:
        for day, visits in days.values_list("day").annotate(total=Sum("visits")):
            by_day[day] += visits
        return by_day
    for person_id, day, visits in days.filter(person_id__in=people).values_list(
        "person_id", "day", "visits"
    ):
        if unit in org.units_of(person_id=person_id, day=day):
            by_day[day] += visits
    return by_day
