"""Reads of targeted training (S15): which rules fire for whom (indicator gaps and low
rubric scores), a rule in words, and the proposals a user may see."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesorg.core.roles import Role, person_of, role_of
from salesorg.core.scoping import SystemActor
from salesorg.core.stored_text import stored_message
from salesorg.development.models import Comparison, RuleSource, TrainingProposal, TrainingRule
from salesorg.development.permissions import EVALUATORS
from salesorg.development.selectors.joint_visits import criterion_label, rubric_averages
from salesorg.org.models import Person
from salesorg.performance.choices import COLUMN_BY_NAME, Level, ValueKind
from salesorg.performance.kpi.columns import IndicatorRow
from salesorg.performance.kpi.indicators import indicator_table
from salesorg.performance.kpi.periods import Period

# Indicators a rule may look at (rates and per-person counts of KPI.md).
RULE_INDICATORS = (
    "sales_achievement",
    "gm_achievement",
    "collection_rate",
    "visits_per_workday",
    "focus_share",
    "expense_ratio",
    "visits",
    "new_customers",
    "prospects_added",
    "customers",
)
HUNDRED = Decimal(100)


def indicator_choices() -> list[tuple[str, str | Promise]]:
    """(name, label) of the indicators a rule may use."""
    return [(name, COLUMN_BY_NAME[name].label) for name in RULE_INDICATORS]


def compares(*, value: Decimal, comparison: str, threshold: Decimal) -> bool:
    """Does `value` stand in `comparison` to `threshold`?"""
    outcomes: dict[str, bool] = {
        Comparison.LT: value < threshold,
        Comparison.LTE: value <= threshold,
        Comparison.GT: value > threshold,
        Comparison.GTE: value >= threshold,
    }
    return outcomes[comparison]


def rule_value_scale(rule: TrainingRule) -> Decimal:
    """Percent indicators are compared in percent (collection rate 0.75 → 75)."""
    return _value_scale(source=rule.source, indicator=rule.indicator)


def _value_scale(*, source: str, indicator: str) -> Decimal:
    if source == RuleSource.INDICATOR:
        column = COLUMN_BY_NAME.get(indicator)
        if column is not None and column.kind == ValueKind.PERCENT:
            return HUNDRED
    return Decimal(1)


def rule_parts(rule: TrainingRule) -> dict:
    """What a rule checks, JSON-ready: stored with a reason so it reads in any language."""
    return {
        "source": rule.source,
        "indicator": rule.indicator,
        "criterion": rule.criterion_code,
        "comparison": rule.comparison,
        "threshold": format(rule.threshold.normalize(), "f"),
    }


def rule_description(rule: TrainingRule) -> str:
    """“Collection rate below 80%” in words, in the active language."""
    return rule_parts_text(rule_parts(rule))


def rule_parts_text(parts: dict) -> str:
    """A rule's `rule_parts` in words, in the active language."""
    source, indicator = parts.get("source", ""), parts.get("indicator", "")
    if source == RuleSource.INDICATOR:
        column = COLUMN_BY_NAME.get(indicator)
        subject = str(column.label) if column else indicator
        unit = "%" if _value_scale(source=source, indicator=indicator) == HUNDRED else ""
    else:
        subject = _("average rubric score “%(criterion)s”") % {
            "criterion": criterion_label(parts.get("criterion", ""))
        }
        unit = ""
    comparison = parts.get("comparison", "")
    return _("%(subject)s %(comparison)s %(threshold)s%(unit)s") % {
        "subject": subject,
        "comparison": Comparison(comparison).label if comparison in Comparison.values else "",
        "threshold": _plain_number(parts.get("threshold", "")),
        "unit": unit,
    }


def _plain_number(text: str) -> str:
    """A stored threshold without exponent or trailing zeros ("8E+1" and "80.0000" → "80")."""
    try:
        return format(Decimal(str(text)).normalize(), "f")
    except ArithmeticError:
        return str(text)


TARGETED_TRAINING_REASON = stored_message(
    "development.targeted_training",
    gettext_lazy("Targeted training: %(rule)s (%(start)s – %(end)s)"),
    formats={"rule": rule_parts_text},
)


@dataclass(frozen=True)
class Firing:
    """A rule that fires for a person, with the value that made it fire (in rule units)."""

    person_id: int
    rule: TrainingRule
    value: Decimal


def rules_fire(
    *, user: User | SystemActor, people: list[Person], period: Period, rules=None
) -> list[Firing]:
    """Which active rules fire for which people in the period (engine values, bounded queries)."""
    rules = list(rules if rules is not None else TrainingRule.objects.filter(active=True))
    if not people or not rules:
        return []
    by_code = {person.code: person.pk for person in people}
    indicators: dict[int, IndicatorRow] = {}
    if any(rule.source == RuleSource.INDICATOR for rule in rules):
        table = indicator_table(start=period.start, end=period.end, level=Level.PERSON, user=user)
        indicators = {by_code[row.code]: row for row in table.rows if row.code in by_code}
    rubric: dict = {}
    if any(rule.source == RuleSource.RUBRIC for rule in rules):
        rubric = rubric_averages(person_ids=by_code.values(), start=period.start, end=period.end)
    firings = []
    for person in people:
        for rule in rules:
            if rule.source == RuleSource.INDICATOR:
                row = indicators.get(person.pk)
                raw = row.value(rule.indicator) if row is not None else None
            else:
                raw = rubric.get((person.pk, rule.criterion_code))
            if raw is None:  # no value (no target, no joint visit): nothing to judge
                continue
            value = Decimal(raw) * rule_value_scale(rule)
            if compares(value=value, comparison=rule.comparison, threshold=rule.threshold):
                firings.append(Firing(person_id=person.pk, rule=rule, value=value))
    return firings


def evaluable_people(*, user: User | SystemActor) -> list[Person]:
    """The reps and managers the user may propose training for (never themselves)."""
    actor = person_of(user)
    if actor is None or role_of(user) not in EVALUATORS:
        return []
    return list(
        Person.objects.visible_to(user)
        .exclude(pk=actor.pk)
        .filter(leave_date__isnull=True, role__in=[Role.REP, Role.MANAGER])
        .order_by("code")
    )


def training_rules(*, user: User | SystemActor) -> QuerySet:
    """The targeted-training rules the user may see, with their material."""
    return TrainingRule.objects.visible_to(user).select_related("material")


def proposals_for(*, user: User | SystemActor, status: str | None = None) -> QuerySet:
    """Training proposals the user may see, optionally by status."""
    proposals = TrainingProposal.objects.visible_to(user).select_related(
        "person", "rule", "material", "decided_by"
    )
    if status:
        proposals = proposals.filter(status=status)
    return proposals.order_by("status", "-period_end", "person__code", "id")
