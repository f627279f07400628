"""Open receivables by age of the invoice, from the rollups, equal to the raw records'.

What a person's invoices of day d leave open at the end of `as_of` is what was invoiced on
d less what was paid on them up to `as_of` (KPI.md, Receivables; a payment is dated by its
invoice); its age is `reference` − d. Age buckets are ranges of days, so an invoice month
whose days all fall in one bucket needs no days: it is read from the month rollups
(`RollupMonth.invoiced`, `RollupPayment`), which covers the whole history before the
oldest bucket's start and most recent months. A month that a bucket boundary cuts is read
whole into the bucket of most of its days, and only its other days per invoice day
(`RollupInvoiceDay`, `RollupPaymentDay`), moved to their bucket; the month of `as_of` when
it is not the month's last day and a person's split months (a team move inside the month)
are read per invoice day. Payments are rolled up per month they were paid in: for an
`as_of` inside a month, that month's payments up to `as_of` are read from the raw
payments (one query).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from django.db import connections

from salesorg.core.dbrouter import report_read_alias
from salesorg.performance.kpi.attribution import OrgSnapshot
from salesorg.performance.kpi.periods import month_end
from salesorg.performance.kpi.rollup_sums import split_months
from salesorg.performance.kpi.sql import in_ranges, month_of, next_month, table_name
from salesorg.performance.models import (
    RollupInvoiceDay,
    RollupMonth,
    RollupPayment,
    RollupPaymentDay,
)
from salesorg.sales.models import Invoice, Payment

# (lowest age, highest age or None) of each bucket, in days, from 0 up without gaps.
Bounds = Sequence[tuple[int, int | None]]
# (person, day, bucket index) → open cents; the day is a month's 1st outside split months.
OpenByAge = Counter


def bucket_of(*, age: int, bounds: Bounds) -> int:
    """The index of the bucket of an age in days (a negative age counts as 0)."""
    age = max(0, age)
    for index, (low, high) in enumerate(bounds):
        if age >= low and (high is None or age <= high):
            return index
    raise ValueError(f"no bucket holds {age} days")


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _fetch(sql: str, params: list) -> list[tuple]:
    with connections[report_read_alias()].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _marks(values: Iterable) -> tuple[str, list]:
    values = list(values)
    return ", ".join(["%s"] * len(values)), values


class _Ageing:
    """One reading: the months' paths and the SQL conditions they share."""

    def __init__(
        self,
        *,
        org: OrgSnapshot,
        as_of: date,
        reference: date,
        bounds: Bounds,
        people: set[int] | None,
        collapse: bool = False,
    ) -> None:
        self.as_of, self.reference, self.bounds = as_of, reference, bounds
        self.people = people
        # Collapsed, every row counts for one unit whatever the day: no person, no days.
        self.collapse = collapse
        self.who = "0" if collapse else "t.person_id"
        self.split = set() if collapse else split_months(org, people)
        self.whole = as_of == month_end(year=as_of.year, month=as_of.month)
        self.this_month = month_of(as_of)
        # Payments in the month rollups count up to this month (inclusive).
        self.paid_until = self.this_month if self.whole else _previous(self.this_month)
        # Months before `old` lie wholly in the oldest bucket (age ≥ its lowest).
        self.old = month_of(reference - timedelta(days=bounds[-1][0]) + timedelta(days=1))
        self.month_bucket: dict[date, int] = {}
        self.day_months: list[date] = []
        # (first day, last day): the days of a month a bucket boundary cuts that lie
        # outside the bucket of most of its days (the month is read whole into that
        # bucket, then these days are moved to theirs).
        self.minority_days: list[tuple[date, date]] = []
        month = min(self.old, self.this_month)
        while month <= self.this_month:
            end = month_end(year=month.year, month=month.month)
            last = min(end, as_of)
            first_bucket = self.bucket(month)
            if month < self.old or (last == end and first_bucket == self.bucket(last)):
                self.month_bucket[month] = first_bucket
            elif last < end:  # the month of `as_of`, cut by it
                self.day_months.append(month)
            else:
                self.month_bucket[month], ranges = self.minority(month, end)
                self.minority_days += ranges
            month = next_month(month)

    def bucket(self, day: date) -> int:
        return bucket_of(age=(self.reference - day).days, bounds=self.bounds)

    def minority(self, month: date, end: date) -> tuple[int, list[tuple[date, date]]]:
        """The bucket of most of the month's days, and the ranges of its other days."""
        days = [month + timedelta(days=n) for n in range((end - month).days + 1)]
        buckets = [self.bucket(day) for day in days]
        majority = Counter(buckets).most_common(1)[0][0]
        ranges: list[tuple[date, date]] = []
        for day, bucket in zip(days, buckets, strict=True):
            if bucket == majority:
                continue
            if ranges and ranges[-1][1] == day - timedelta(days=1):
                ranges[-1] = (ranges[-1][0], day)
            else:
                ranges.append((day, day))
        return majority, ranges

    def bucket_sql(self, column: str) -> tuple[str, list]:
        """A CASE giving the bucket of an invoice day (`day >= reference − highest`)."""
        assert self.bounds[-1][1] is None, "the oldest bucket has no end"
        terms, params = [], []
        for index, (_low, high) in enumerate(self.bounds):
            if high is None:
                terms.append(f"ELSE {index}")
            else:
                terms.append(f"WHEN {column} >= %s THEN {index}")
                params.append(self.reference - timedelta(days=high))
        return f"CASE {' '.join(terms)} END", params

    def group(self, person: str) -> str:
        """The person's column (and a comma) to group by; nothing when collapsed (a
        constant in GROUP BY would name a column by its position)."""
        return "" if self.collapse else f"{person}, "

    def people_sql(self, column: str) -> tuple[str, list]:
        if self.people is None:
            return "", []
        marks, params = _marks(sorted(self.people))
        return f" AND {column} IN ({marks})", params

    def read(self) -> OpenByAge:
        found: OpenByAge = Counter()
        if self.people is not None and not self.people:
            return found  # a unit nobody was ever a member of owes nothing
        self._months(found)
        self._minority_days(found)
        self._days(found)
        self._split_days(found)
        if not self.whole:
            self._paid_this_month(found)
        return found

    def _months(self, found: OpenByAge) -> None:
        """Clean months in one bucket: invoiced less paid, from the month rollups."""
        recent = sorted(m for m in self.month_bucket if m >= self.old)
        marks, recent_params = _marks(recent)

        def in_months(column: str) -> str:
            return f"({column} < %s OR {column} IN ({marks}))" if recent else f"{column} < %s"

        month_params = [self.old, *recent_params]
        people, people_params = self.people_sql("t.person_id")
        who = self.who
        rows = _fetch(
            f"""SELECT {who}, t.month, SUM(t.invoiced) FROM {table_name(RollupMonth)} t
            WHERE t.invoiced <> 0 AND {in_months("t.month")}{people}
            GROUP BY {self.group("t.person_id")}t.month""",
            [*month_params, *people_params],
        )
        rows += [
            (person_id, month, -int(paid))
            for person_id, month, paid in _fetch(
                f"""SELECT {who}, t.invoice_month, SUM(t.amount)
                FROM {table_name(RollupPayment)} t
                WHERE t.payment_month <= %s AND {in_months("t.invoice_month")}
                {people}
                GROUP BY {self.group("t.person_id")}t.invoice_month""",
                [self.paid_until, *month_params, *people_params],
            )
        ]
        split, buckets, last = self.split, self.month_bucket, len(self.bounds) - 1
        for person_id, month, cents in rows:
            month = _day(month)
            if (person_id, month) not in split:
                found[(person_id, month, buckets.get(month, last))] += int(cents)

    def _day_rows(
        self, *, where: str, params: list, group_by_day: bool, pairs: list | None = None
    ) -> list[tuple]:
        """Σ invoiced less paid per (person, month or day, bucket) of the day rollups.

        `pairs` (person, first day, last day) reads only those people's days in those
        ranges (`in_ranges`).
        """
        invoice_bucket, invoice_params = self.bucket_sql("t.day")
        paid_bucket, paid_params = self.bucket_sql("t.invoice_day")
        people, people_params = self.people_sql("t.person_id")
        key, paid_key = (
            ("t.day", "t.invoice_day") if group_by_day else ("t.month", "t.invoice_month")
        )
        who = self.who
        invoices = f"{table_name(RollupInvoiceDay)} t"
        payments = f"{table_name(RollupPaymentDay)} t"
        if pairs:
            invoices = in_ranges(table_name(RollupInvoiceDay), pairs, person="person_id", day="day")
            payments = in_ranges(
                table_name(RollupPaymentDay), pairs, person="person_id", day="invoice_day"
            )
        return _fetch(
            f"""SELECT s.person_id, s.key, s.bucket, SUM(s.cents) FROM (
              SELECT {who} AS person_id, {key} AS key, {invoice_bucket} AS bucket,
                t.amount AS cents
              FROM {invoices}
              WHERE t.day <= %s AND {where.format(day="t.day")}{people}
              UNION ALL
              SELECT {who}, {paid_key}, {paid_bucket}, -t.amount
              FROM {payments}
              WHERE t.invoice_day <= %s AND t.payment_month <= %s
                AND {where.format(day="t.invoice_day")}{people}
            ) s GROUP BY s.person_id, s.key, s.bucket""",
            [
                *invoice_params,
                self.as_of,
                *params,
                *people_params,
                *paid_params,
                self.as_of,
                self.paid_until,
                *params,
                *people_params,
            ],
        )

    def _clean_day_rows(self, ranges: list[tuple[date, date]]) -> Iterable[tuple]:
        """(person, month, bucket, cents) of these day ranges, per month and bucket, but for
        split months (read day by day by `_split_days`)."""
        if not ranges:
            return
        # Day ranges, not the month column: the day indexes find the months' rows.
        where = " OR ".join(["{day} BETWEEN %s AND %s"] * len(ranges))
        params = [bound for first, last in ranges for bound in (first, last)]
        for person_id, month, bucket, cents in self._day_rows(
            where=f"({where})", params=params, group_by_day=False
        ):
            month = _day(month)
            if (person_id, month) not in self.split:
                yield person_id, month, bucket, int(cents)

    def _minority_days(self, found: OpenByAge) -> None:
        """Clean months a bucket boundary cuts: the days outside the month's bucket (read
        whole by `_months`) move from it to their own."""
        for person_id, month, bucket, cents in self._clean_day_rows(self.minority_days):
            found[(person_id, month, bucket)] += cents
            found[(person_id, month, self.month_bucket[month])] -= cents

    def _days(self, found: OpenByAge) -> None:
        """The clean month that `as_of` cuts: per bucket, from its days."""
        ranges = [(m, month_end(year=m.year, month=m.month)) for m in self.day_months]
        for person_id, month, bucket, cents in self._clean_day_rows(ranges):
            found[(person_id, month, bucket)] += cents

    def _split_days(self, found: OpenByAge) -> None:
        """A person's split months, per invoice day: each day counts for its own units."""
        pairs = sorted(
            (person_id, month, month_end(year=month.year, month=month.month))
            for person_id, month in self.split
            if month <= self.this_month
        )
        if not pairs:
            return
        for person_id, day, bucket, cents in self._day_rows(
            where="1 = 1", params=[], group_by_day=True, pairs=pairs
        ):
            found[(person_id, _day(day), bucket)] += int(cents)

    def _paid_this_month(self, found: OpenByAge) -> None:
        """Payments of the month of `as_of` up to `as_of` (raw: the rollups hold months)."""
        people, people_params = self.people_sql("i.rep_id")
        who = "0" if self.collapse else "i.rep_id"
        rows = _fetch(
            f"""SELECT {who}, i.invoice_date, SUM(CAST(ROUND(p.amount * 100) AS bigint))
            FROM {table_name(Payment)} p JOIN {table_name(Invoice)} i ON i.id = p.invoice_id
            WHERE p.payment_date >= %s AND p.payment_date <= %s AND i.invoice_date <= %s
            {people}
            GROUP BY {self.group("i.rep_id")}i.invoice_date""",
            [self.this_month, self.as_of, self.as_of, *people_params],
        )
        for person_id, day, cents in rows:
            day = _day(day)
            month = month_of(day)
            key_day = day if (person_id, month) in self.split else month
            found[(person_id, key_day, self.bucket(day))] -= int(cents)


def _previous(month: date) -> date:
    return month_of(month - timedelta(days=1))


def open_by_age(
    *,
    org: OrgSnapshot,
    as_of: date,
    reference: date,
    bounds: Bounds,
    people: set[int] | None = None,
    collapse: bool = False,
) -> OpenByAge:
    """(person, day, bucket) → cents open at the end of `as_of` on the person's invoices
    dated up to `as_of`, aged at `reference`; `people` None reads everyone. The day is the
    1st of the month except in the person's split months: credit it to the units the person
    counts for on that day.

    `collapse` is for a caller that adds every row up into one unit that counts them all
    whatever their day (the company): the rows are summed in SQL per month and bucket with
    person 0, and split months need no days (a tenth of the work at 1,000 reps)."""
    return _Ageing(
        org=org, as_of=as_of, reference=reference, bounds=bounds, people=people, collapse=collapse
    ).read()
