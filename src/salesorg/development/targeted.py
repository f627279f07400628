"""Targeted training (S15): rules map indicator gaps and low rubric scores to materials.

`proposals_evaluate` runs the active rules over a manager's team for a period, with
indicator values from the engine (one `indicator_table` call) and rubric averages (one
aggregate query), and records a proposal per (person, rule, period) that fires. The
manager accepts a proposal (which assigns the material) or dismisses it; a proposal is
never proposed twice for the same period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salesorg.core.problems import Problems
from salesorg.core.roles import Role, person_of, role_of
from salesorg.core.stored_text import stored_message
from salesorg.development.joint_visits import criterion_label, rubric_averages
from salesorg.development.models import (
    Comparison,
    ProposalStatus,
    RuleSource,
    TrainingProposal,
    TrainingRule,
)
from salesorg.development.training import assignment_create
from salesorg.org.models import Person
from salesorg.performance.choices import Level, ValueKind
from salesorg.performance.indicators import COLUMN_BY_NAME, indicator_table
from salesorg.performance.periods import Period, PeriodError

RULE_WRITERS = frozenset({Role.DIRECTOR, Role.ADMIN, Role.TRAINER})
EVALUATORS = frozenset({Role.MANAGER, Role.REGION_HEAD, Role.DIRECTOR, Role.ADMIN})
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
DEFAULT_DUE_DAYS = 14
HUNDRED = Decimal(100)


def indicator_choices() -> list[tuple[str, str]]:
    """(name, label) of the indicators a rule may use."""
    return [(name, COLUMN_BY_NAME[name].label) for name in RULE_INDICATORS]


def compares(*, value: Decimal, comparison: str, threshold: Decimal) -> bool:
    """Does `value` stand in `comparison` to `threshold`?"""
    return {
        Comparison.LT: value < threshold,
        Comparison.LTE: value <= threshold,
        Comparison.GT: value > threshold,
        Comparison.GTE: value >= threshold,
    }[comparison]


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


@transaction.atomic
def training_rule_save(*, rule: TrainingRule, actor) -> TrainingRule:
    """Create or change a rule (director, admin, trainer); the rule must name what it checks."""
    problems = Problems()
    if role_of(actor) not in RULE_WRITERS:
        problems.add("name", _("You may not change targeted-training rules."))
    if not rule.name.strip():
        problems.add("name", _("This field is required."))
    if rule.source == RuleSource.INDICATOR and rule.indicator not in RULE_INDICATORS:
        problems.add("indicator", _("Choose an indicator."))
    if rule.source == RuleSource.RUBRIC and not rule.criterion_code.strip():
        problems.add("criterion_code", _("Name the rubric criterion."))
    if rule.threshold is None:
        problems.add("threshold", _("This field is required."))
    problems.raise_if_any()
    if rule.source == RuleSource.INDICATOR:
        rule.criterion_code = ""
    else:
        rule.indicator = ""
    rule.full_clean()
    rule.save()
    return rule


@dataclass(frozen=True)
class Firing:
    """A rule that fires for a person, with the value that made it fire (in rule units)."""

    person_id: int
    rule: TrainingRule
    value: Decimal


def rules_fire(*, people: list[Person], period: Period, rules=None) -> list[Firing]:
    """Which active rules fire for which people in the period (engine values, bounded queries)."""
    rules = list(rules if rules is not None else TrainingRule.objects.filter(active=True))
    if not people or not rules:
        return []
    by_code = {person.code: person.pk for person in people}
    indicators: dict[int, object] = {}
    if any(rule.source == RuleSource.INDICATOR for rule in rules):
        table = indicator_table(start=period.start, end=period.end, level=Level.PERSON)
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


def evaluable_people(*, user) -> list[Person]:
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


@transaction.atomic
def proposals_evaluate(*, user, start: date, end: date, people=None) -> list[TrainingProposal]:
    """Run the rules for the user's team over [start, end]; new proposals for new firings.

    A (person, rule, period) that was proposed before, whatever its status, is not
    proposed again. Returns the proposals of the period still awaiting a decision.
    """
    problems = Problems()
    if role_of(user) not in EVALUATORS:
        problems.add("start", _("You may not propose training."))
    if start is None:
        problems.add("start", _("This field is required."))
    if end is None:
        problems.add("end", _("This field is required."))
    problems.raise_if_any()
    try:
        period = Period(start=start, end=end)
    except PeriodError as error:
        problems.add("end", str(error))
        problems.raise_if_any()
    people = evaluable_people(user=user) if people is None else people
    firings = rules_fire(people=people, period=period)
    existing = set(
        TrainingProposal.objects.filter(
            person__in=people, period_start=start, period_end=end
        ).values_list("person_id", "rule_id")
    )
    TrainingProposal.objects.bulk_create(
        TrainingProposal(
            person_id=firing.person_id,
            rule=firing.rule,
            material_id=firing.rule.material_id,
            period_start=start,
            period_end=end,
            value=firing.value.quantize(Decimal("0.0001")),
        )
        for firing in firings
        if (firing.person_id, firing.rule.pk) not in existing
    )
    return list(
        proposals_for(user=user).filter(
            period_start=start, period_end=end, status=ProposalStatus.PROPOSED
        )
    )


def proposals_for(*, user, status: str | None = None):
    """Training proposals the user may see, optionally by status."""
    proposals = TrainingProposal.objects.visible_to(user).select_related(
        "person", "rule", "material", "decided_by"
    )
    if status:
        proposals = proposals.filter(status=status)
    return proposals.order_by("status", "-period_end", "person__code", "id")


def can_decide(user, proposal: TrainingProposal) -> bool:
    """The person's leaders (not the person themselves) decide on a proposal."""
    actor = person_of(user)
    if actor is None or actor.pk == proposal.person_id or role_of(user) not in EVALUATORS:
        return False
    return Person.objects.visible_to(user).filter(pk=proposal.person_id).exists()


def _check_decision(problems: Problems, *, proposal: TrainingProposal, actor) -> None:
    if not can_decide(actor, proposal):
        problems.add("proposal_id", _("You may not decide on this proposal."))
    elif proposal.status != ProposalStatus.PROPOSED:
        problems.add("proposal_id", _("This proposal is already decided."))


@transaction.atomic
def proposal_accept(
    *, proposal: TrainingProposal, actor, due_date: date | None = None
) -> TrainingProposal:
    """Accept a proposal: assign its material to the person (due in two weeks by default)."""
    problems = Problems()
    _check_decision(problems, proposal=proposal, actor=actor)
    problems.raise_if_any()
    due_date = due_date or timezone.localdate() + timedelta(days=DEFAULT_DUE_DAYS)
    proposal.assignment = assignment_create(
        person=proposal.person,
        material=proposal.material,
        due_date=due_date,
        actor=actor,
        reason_message=TARGETED_TRAINING_REASON,
        reason_params={
            "rule": rule_parts(proposal.rule),
            "start": proposal.period_start,
            "end": proposal.period_end,
        },
    )
    proposal.status = ProposalStatus.ACCEPTED
    proposal.decided_by = person_of(actor)
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["assignment", "status", "decided_by", "decided_at"])
    return proposal


@transaction.atomic
def proposal_dismiss(*, proposal: TrainingProposal, actor) -> TrainingProposal:
    """Dismiss a proposal; it is not proposed again for the same period."""
    problems = Problems()
    _check_decision(problems, proposal=proposal, actor=actor)
    problems.raise_if_any()
    proposal.status = ProposalStatus.DISMISSED
    proposal.decided_by = person_of(actor)
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_by", "decided_at"])
    return proposal
