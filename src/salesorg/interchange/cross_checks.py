"""The checks of an import that need every file's rows: memberships that overlap, payments
that exceed their invoice, across the files and the records already in the database."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection
from django.utils.translation import gettext as _

from salesorg.interchange.compact import LINE_BITS, LINE_MASK, chunks, from_cents, unpack_invoice
from salesorg.interchange.values import format_money
from salesorg.org.models import Membership
from salesorg.sales.models import Invoice, Payment


@dataclass
class Interval:
    start: date
    end: date | None
    team: str
    line: int | None  # None: already in the database


class CrossFileChecks:
    """The rules of INTERCHANGE.md that hold across files, mixed into the import's Checker,
    whose row pass gathers what they need (intervals, invoice amounts, payment sums)."""

    def check_across_files(self) -> None:
        """Check the rules that need all rows: overlapping memberships and payment totals."""
        self._check_membership_overlaps()
        self._check_payment_totals()

    def _check_membership_overlaps(self) -> None:
        for chunk in chunks(sorted(self.memberships)):
            in_db: dict[str, list[Interval]] = defaultdict(list)
            for person, team, start, end in Membership.objects.filter(
                person__code__in=chunk
            ).values_list("person__code", "team__code", "start_date", "end_date"):
                if (person, team, start) not in self.membership_keys:
                    in_db[person].append(Interval(start, end, team, None))
            for person in chunk:
                self._report_overlaps(person, self.memberships[person] + in_db[person])

    def _report_overlaps(self, person: str, intervals: list[Interval]) -> None:
        intervals.sort(key=lambda interval: (interval.start, interval.line or 0))
        furthest: Interval | None = None
        for interval in intervals:
            if furthest is not None and (furthest.end is None or interval.start <= furthest.end):
                here, other = (interval, furthest) if interval.line else (furthest, interval)
                if here.line is not None:
                    where = (
                        _("line %(line)s") % {"line": other.line}
                        if other.line
                        else _("already in the database")
                    )
                    self.problems.add(
                        "memberships.csv",
                        here.line,
                        "start_date",
                        _(
                            "This membership of %(person)s overlaps another: team %(team)s "
                            "from %(start)s (%(where)s)."
                        )
                        % {
                            "person": person,
                            "team": other.team,
                            "start": other.start.isoformat(),
                            "where": where,
                        },
                    )
            if furthest is None or (
                furthest.end is not None and (interval.end is None or interval.end > furthest.end)
            ):
                furthest = interval

    def _check_payment_totals(self) -> None:
        if not self.payment_totals and not self.invoices:
            return
        db_has_payments = self.db_had_payments
        candidates = set(self.payment_totals)
        if db_has_payments:
            candidates |= set(self.invoices)
        overpaid: dict[str, tuple[Decimal, int, str]] = {}
        for chunk in chunks(sorted(candidates)):
            in_db: dict[str, list[tuple[str, date, Decimal]]] = defaultdict(list)
            if db_has_payments:
                # Invoices by code, then payments by invoice id: both through an index
                # (a join on the code lets the planner scan all payments of a big database).
                invoice_codes = dict(
                    Invoice.objects.filter(code__in=chunk).order_by().values_list("id", "code")
                )
                for code, invoice_id, payment_date, amount in _payments_of(list(invoice_codes)):
                    if code not in self.payment_codes:
                        in_db[invoice_codes[invoice_id]].append((code, payment_date, amount))
            for invoice_code in chunk:
                self._check_invoice_payments(invoice_code, in_db[invoice_code], overpaid)
        if overpaid:
            # The payment to blame is the one that takes its invoice over, not the last:
            # found by reading payments.csv again (only when some invoice is overpaid).
            lines = self.lines_over({code: limit for code, (limit, _l, _m) in overpaid.items()})
            for invoice_code, (_limit, last_line, message) in overpaid.items():
                line = lines.get(invoice_code, last_line)
                self.problems.add("payments.csv", line, "amount", message)

    def lines_over(self, limits: dict[str, Decimal]) -> dict[str, int]:
        """For each invoice code, the line of payments.csv where its payments exceed `limit`."""
        raise NotImplementedError  # pragma: no cover - the Checker reads the file

    def _check_invoice_payments(
        self,
        invoice_code: str,
        in_db: list[tuple[str, date, Decimal]],
        overpaid: dict[str, tuple[Decimal, int, str]],
    ) -> None:
        packed_invoice = self.invoices.get(invoice_code)
        if packed_invoice is not None:
            invoice_date, invoice_amount, invoice_line = unpack_invoice(packed_invoice)
        elif invoice_code in self.db_invoices:
            invoice_date, invoice_amount = self.db_invoices[invoice_code]
            invoice_line = None
        else:
            return  # an unknown invoice, already reported
        packed = self.payment_totals.get(invoice_code)
        file_total = Decimal(0) if packed is None else from_cents(packed >> LINE_BITS)
        last_line = None if packed is None else packed & LINE_MASK
        stored_total = sum((amount for _code, _date, amount in in_db), Decimal(0))
        total = file_total + stored_total
        if total > invoice_amount:
            message = _(
                "Payments on invoice %(invoice)s add up to %(total)s, more than the invoice "
                "amount %(amount)s."
            ) % {
                "invoice": invoice_code,
                "total": format_money(total),
                "amount": format_money(invoice_amount),
            }
            if last_line is not None:  # reported with the line of the payment to blame
                overpaid[invoice_code] = (invoice_amount - stored_total, last_line, message)
            else:
                self.problems.add("invoices.csv", invoice_line, "amount", message)
        if invoice_line is not None:
            early = [code for code, payment_date, _amount in in_db if payment_date < invoice_date]
            if early:
                self.problems.add(
                    "invoices.csv",
                    invoice_line,
                    "invoice_date",
                    _("Payment %(payment)s in the database is dated before this invoice date.")
                    % {"payment": early[0]},
                )


def _payments_of(invoice_ids: list[int]) -> list[tuple[str, int, date, Decimal]]:
    """Code, invoice id, date and amount of the stored payments of some invoices."""
    if connection.vendor != "postgresql":
        return list(
            Payment.objects.filter(invoice_id__in=invoice_ids)
            .order_by()
            .values_list("code", "invoice_id", "payment_date", "amount")
        )
    # With `IN (…)` or a join the planner expects a large share of millions of payments
    # and scans them all, once per batch; a lateral subquery per id (kept apart from
    # the join by OFFSET 0) goes by the index.
    table = connection.ops.quote_name(Payment._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.code, p.invoice_id, p.payment_date, p.amount "
            "FROM unnest(%s::bigint[]) AS k(invoice_id) CROSS JOIN LATERAL "
            f"(SELECT * FROM {table} WHERE invoice_id = k.invoice_id OFFSET 0) AS p",
            [invoice_ids],
        )
        return cursor.fetchall()
