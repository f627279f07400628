"""Writes of targeted training (S15): the rules, the evaluation that records proposals, and
the leaders' decisions on them.

`proposals_evaluate` runs the active rules over a manager's team for a period, with
indicator values from the engine (one `indicator_table` call) and rubric averages (one
aggregate query), and records a proposal per (person, rule, period) that fires. The
manager accepts a proposal (which assigns the material) or dismisses it; a proposal is
never proposed twice for the same period.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from salesorg.core.problems import Problems
from salesorg.core.roles import person_of
from salesorg.development.models import ProposalStatus, RuleSource, TrainingProposal, TrainingRule
from salesorg.development.permissions import can_decide, can_edit_rules, can_evaluate_rules
from salesorg.development.selectors.targeted import (
    RULE_INDICATORS,
    TARGETED_TRAINING_REASON,
    evaluable_people,
    proposals_for,
    rule_parts,
    rules_fire,
)
from salesorg.development.services.training import assignment_create
from salesorg.org.models import Person
from salesorg.performance.kpi.periods import Period, PeriodError

DEFAULT_DUE_DAYS = 14


@transaction.atomic
def training_rule_save(*, rule: TrainingRule, actor: User) -> TrainingRule:
    """Create or change a rule (director, admin, trainer); the rule must name what it checks."""
    problems = Problems()
    if not can_edit_rules(actor):
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


@transaction.atomic
def proposals_evaluate(
    *, user: User, start: date, end: date, people: list[Person] | None = None
) -> list[TrainingProposal]:
    """Run the rules for the user's team over [start, end]; new proposals for new firings.

    A (person, rule, period) that was proposed before, whatever its status, is not
    proposed again. Returns the proposals of the period still awaiting a decision.
    """
    problems = Problems()
    if not can_evaluate_rules(user):
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
    firings = rules_fire(user=user, people=people, period=period)
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


def _check_decision(problems: Problems, *, proposal: TrainingProposal, actor: User) -> None:
    if not can_decide(actor, proposal):
        problems.add("proposal_id", _("You may not decide on this proposal."))
    elif proposal.status != ProposalStatus.PROPOSED:
        problems.add("proposal_id", _("This proposal is already decided."))


@transaction.atomic
def proposal_accept(
    *, proposal: TrainingProposal, actor: User, due_date: date | None = None
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
def proposal_dismiss(*, proposal: TrainingProposal, actor: User) -> TrainingProposal:
    """Dismiss a proposal; it is not proposed again for the same period."""
    problems = Problems()
    _check_decision(problems, proposal=proposal, actor=actor)
    problems.raise_if_any()
    proposal.status = ProposalStatus.DISMISSED
    proposal.decided_by = person_of(actor)
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_by", "decided_at"])
    return proposal
