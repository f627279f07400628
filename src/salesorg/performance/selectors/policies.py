"""Incentive policy reads: the policy in force, its rules, and the defaults of a new one."""

from __future__ import annotations

from datetime import date

from salesorg.performance import scoring
from salesorg.performance.models import (
    IncentivePolicy,
    PolicyIndicator,
    ScoredIndicator,
)

# The ideal-target counterpart of an achievement indicator (for the ideal bonus).
IDEAL_OF: dict[str, str] = {
    ScoredIndicator.SALES_ACHIEVEMENT: "sales_achievement_ideal",
    ScoredIndicator.GM_ACHIEVEMENT: "gm_achievement_ideal",
}


# A sensible first policy (S12): achievement < 80 % scores 0, 80–100 % linear 60→100, …
DEFAULT_RULES: tuple[dict, ...] = (
    {
        "indicator": ScoredIndicator.SALES_ACHIEVEMENT,
        "weight": "40",
        "bands": "0 0.8 0 0\n0.8 1 60 100\n1 1.2 100 120\n1.2 - 120 120",
        "cap": "130",
        "ideal_bonus": "10",
    },
    {
        "indicator": ScoredIndicator.GM_ACHIEVEMENT,
        "weight": "20",
        "bands": "0 0.8 0 0\n0.8 1 60 100\n1 - 100 100",
        "cap": "120",
        "ideal_bonus": "10",
    },
    {
        "indicator": ScoredIndicator.COLLECTION_RATE,
        "weight": "15",
        "bands": "0 0.7 0 0\n0.7 0.95 60 100\n0.95 - 100 100",
        "cap": "100",
        "ideal_bonus": "0",
    },
    {
        "indicator": ScoredIndicator.VISITS_PER_WORKDAY,
        "weight": "10",
        "bands": "0 2 0 0\n2 4 60 100\n4 - 100 100",
        "cap": "100",
        "ideal_bonus": "0",
    },
    {
        "indicator": ScoredIndicator.NEW_CUSTOMERS,
        "weight": "10",
        "bands": "1 3 60 100\n3 - 100 100",
        "cap": "100",
        "ideal_bonus": "0",
    },
    {
        "indicator": ScoredIndicator.FOCUS_SHARE,
        "weight": "5",
        "bands": "0 0.2 0 0\n0.2 0.4 60 100\n0.4 - 100 100",
        "cap": "100",
        "ideal_bonus": "0",
    },
)


DEFAULT_TIERS = "60 0.5\n80 1\n100 1.2\n110 1.5"


def published_policy(*, as_of: date) -> IncentivePolicy | None:
    """The published version in force on `as_of`: the latest effective on or before it."""
    return (
        IncentivePolicy.objects.published()
        .filter(effective_from__lte=as_of)
        .order_by("-effective_from", "-version")
        .first()
    )


def policy_rules(*, policy: IncentivePolicy) -> list[PolicyIndicator]:
    """The indicator rules of a policy in order (one query)."""
    return list(PolicyIndicator.objects.filter(policy=policy).order_by("position", "id"))


def rules_of(*, policy: IncentivePolicy) -> list[dict]:
    """A policy's rules in the input form of `policy_save` (to start a new version)."""
    return [
        {
            "indicator": rule.indicator,
            "weight": rule.weight,
            "bands": scoring.format_bands(scoring.bands_from_json(rule.bands)),
            "cap": rule.cap,
            "ideal_bonus": rule.ideal_bonus,
        }
        for rule in policy_rules(policy=policy)
    ]
