"""The territory figures of a quarterly review (S10, question 3: the territory's strengths and
weaknesses): each rep's customers of the quarter against the quarter before.

Customers who bought, new customers and industries (breadth) are the indicator engine's
(KPI.md, Customers); the product mix is the engine's too (KPI.md, Product mix); dormant
and lost customers follow the customer lifecycle (customers.lifecycle) of the rep's own
customers: dormant on the span's last day, lost during the span. A running quarter is
compared with the same span of the quarter before. The figures are JSON-ready; the
summary is the text a rep finds pre-filled as their answer, and then edits.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import User
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from salesorg.core.scoping import SystemActor
from salesorg.customers.selectors.lifecycle import LapsedCustomers, lapsed_customers
from salesorg.org.models import Person
from salesorg.performance.choices import Level
from salesorg.performance.kpi.attribution import PERSON, OrgSnapshot
from salesorg.performance.kpi.columns import ProductMixRow
from salesorg.performance.kpi.indicators import product_mix
from salesorg.performance.kpi.periods import Period

# The engine's customer counts carried into the figures: (figure key, engine column).
COUNTS = (
    ("customers", "customers"),
    ("new_customers", "new_customers"),
    ("industries", "industries"),
)
HUNDREDTH = Decimal("0.01")


def _text(value) -> str | None:
    return None if value is None else str(value)


def territory_figures_for(
    *,
    reps: list[Person],
    spans: dict[str, Period],
    rows: dict[str, dict],
    org: OrgSnapshot,
    user: User | SystemActor,
) -> dict[int, dict]:
    """Per rep, the territory figures of the spans "this" and "previous" (four queries).

    `rows` holds each span's indicator rows by person code, already read by the caller.
    """
    only = [(PERSON, rep.pk) for rep in reps]
    mixes: dict[str, dict[str, dict[str, ProductMixRow]]] = {}
    lapsed: dict[str, dict[int, LapsedCustomers]] = {}
    for key, span in spans.items():
        mixes[key] = {}
        for row in product_mix(
            start=span.start, end=span.end, level=Level.PERSON, user=user, org=org, only=only
        ):
            mixes[key].setdefault(row.code, {})[row.category] = row
        lapsed[key] = lapsed_customers(
            user=user, owner_ids=[rep.pk for rep in reps], start=span.start, end=span.end
        )
    figures = {}
    for rep in reps:
        this, previous = rows["this"].get(rep.code), rows["previous"].get(rep.code)
        entry: dict = {
            key: {
                "this": this.value(column) if this else 0,
                "previous": previous.value(column) if previous else 0,
            }
            for key, column in COUNTS
        }
        for key in ("dormant", "lost"):
            entry[f"{key}_customers"] = {
                span: getattr(lapsed[span].get(rep.pk, LapsedCustomers()), key)
                for span in ("this", "previous")
            }
        entry["product_mix"] = _mix(
            this=mixes["this"].get(rep.code, {}), previous=mixes["previous"].get(rep.code, {})
        )
        figures[rep.pk] = entry
    return figures


def _mix(*, this: dict, previous: dict) -> list[dict]:
    """Each category sold in either span: amount and share of sales in both."""
    mix = []
    for category in sorted(set(this) | set(previous)):
        now, before = this.get(category), previous.get(category)
        named = now or previous[category]
        mix.append(
            {
                "category": category,
                "name": named.category_name,
                "amount": _text(now.amount if now else Decimal("0.00")),
                "share": _share(now, sold=bool(this)),
                "previous_amount": _text(before.amount if before else Decimal("0.00")),
                "previous_share": _share(before, sold=bool(previous)),
            }
        )
    return mix


def _share(row: ProductMixRow | None, *, sold: bool) -> str | None:
    """A category's share of the span's sales: 0 if it sold nothing there while others did."""
    if row is not None:
        return _text(row.share)
    return "0" if sold else None


def _percent(share: str | None) -> str:
    if share is None:
        return "—"
    value = (Decimal(share) * 100).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)
    return f"{number_format(value, 2)}%"


def territory_summary(*, territory: dict, running: bool, as_of: date) -> str:
    """The territory figures as text, in the reader's language, for the rep to edit."""
    if running:
        heading = _(
            "Customers this quarter to %(date)s, against the same span of the quarter before:"
        ) % {"date": as_of.isoformat()}
    else:
        heading = _("Customers this quarter, against the quarter before:")
    labels = (
        ("customers", _("Customers who bought")),
        ("new_customers", _("New customers")),
        ("dormant_customers", _("Dormant customers")),
        ("lost_customers", _("Lost customers")),
        ("industries", _("Industries bought in")),
    )
    lines = [heading]
    for key, label in labels:
        counts = territory.get(key, {})
        lines.append(
            _("%(label)s: %(this)s (quarter before: %(previous)s)")
            % {"label": label, "this": counts.get("this", 0), "previous": counts.get("previous", 0)}
        )
    mix = [
        _("%(category)s %(share)s (quarter before: %(previous)s)")
        % {
            "category": row["name"],
            "share": _percent(row["share"]),
            "previous": _percent(row["previous_share"]),
        }
        for row in territory.get("product_mix", [])
    ]
    if mix:
        lines.append(_("Product mix: %(mix)s") % {"mix": _("; ").join(mix)})
    lines += ["", _("Strengths:"), _("Weaknesses:")]
    return "\n".join(lines)
