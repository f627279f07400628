"""Incentive policy services and selectors: drafts, publishing, the policy in force."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from salesorg.core.money import quantize_cents
from salesorg.core.problems import Problems
from salesorg.core.roles import Role, person_of, role_of
from salesorg.performance import scoring
from salesorg.performance.models import (
    IncentivePolicy,
    PolicyIndicator,
    PolicyStatus,
    ScoredIndicator,
)

POLICY_WRITERS = frozenset({Role.DIRECTOR, Role.ADMIN})

# The ideal-target counterpart of an achievement indicator (for the ideal bonus).
IDEAL_OF = {
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


def can_write_policy(user) -> bool:
    """Director and admin create and publish incentive policies."""
    return role_of(user) in POLICY_WRITERS


def published_policy(*, as_of: date) -> IncentivePolicy | None:
    """The published version in force on `as_of`: the latest effective on or before it."""
    return (
        IncentivePolicy.objects.published()
        .filter(effective_from__lte=as_of)
        .order_by("-effective_from", "-version")
        .first()
    )


def policy_rules(policy: IncentivePolicy) -> list[PolicyIndicator]:
    """The indicator rules of a policy in order (one query)."""
    return list(PolicyIndicator.objects.filter(policy=policy).order_by("position", "id"))


def _check_rules(problems: Problems, rules: list[dict]) -> list[dict]:
    """Clean indicator rules {indicator, weight, bands (text or list), cap, ideal_bonus}."""
    cleaned, seen = [], set()
    for index, rule in enumerate(rules):
        field = f"indicators[{index}]"
        indicator = rule.get("indicator")
        if indicator not in ScoredIndicator.values:
            problems.add(f"{field}.indicator", _("Unknown indicator: %(v)s.") % {"v": indicator})
            continue
        if indicator in seen:
            problems.add(f"{field}.indicator", _("This indicator is listed twice."))
            continue
        seen.add(indicator)
        try:
            weight = scoring.decimal(rule.get("weight"), what=_("Weight"))
            bands_input = rule.get("bands")
            bands = (
                scoring.parse_bands(bands_input)
                if isinstance(bands_input, str)
                else scoring.bands_from_json(bands_input)
            )
            cap = rule.get("cap")
            cap = (
                None
                if cap in (None, "")
                else scoring.decimal(cap, what=pgettext("upper limit", "Cap"))
            )
            ideal_bonus = scoring.decimal(rule.get("ideal_bonus") or "0", what=_("Ideal bonus"))
        except scoring.RuleError as error:
            problems.add(field, str(error))
            continue
        if not bands:
            problems.add(f"{field}.bands", _("Give at least one scoring band."))
            continue
        if cap is not None and cap < 0:
            problems.add(f"{field}.cap", _("A cap cannot be negative."))
            continue
        cleaned.append(
            {
                "indicator": indicator,
                "weight": weight,
                "bands": [band.as_json() for band in bands],
                "cap": cap,
                "ideal_bonus": ideal_bonus,
            }
        )
    if not any(key.startswith("indicators") for key in problems.errors):
        try:
            scoring.check_weights([rule["weight"] for rule in cleaned])
        except scoring.RuleError as error:
            problems.add("indicators", str(error))
    return cleaned


def _check_tiers(problems: Problems, tiers) -> list[dict]:
    try:
        parsed = (
            scoring.parse_tiers(tiers)
            if isinstance(tiers, str)
            else scoring.tiers_from_json(tiers or [])
        )
    except scoring.RuleError as error:
        problems.add("bonus_tiers", str(error))
        return []
    return [tier.as_json() for tier in parsed]


def _check_writer(actor) -> None:
    """Director and admin only; `actor` None is the system itself (demo data, imports)."""
    if actor is not None and not can_write_policy(actor):
        problems = Problems()
        problems.add("status", _("Only the director and admin write incentive policies."))
        problems.raise_if_any()


@transaction.atomic
def policy_save(
    *,
    actor,
    name: str,
    effective_from: date | None,
    rules: list[dict],
    bonus_base: Decimal | None = None,
    bonus_tiers=None,
    total_cap: Decimal | None = None,
    description: str = "",
    policy: IncentivePolicy | None = None,
) -> IncentivePolicy:
    """Create a new draft version (policy None) or change a draft; published ones never."""
    _check_writer(actor)
    problems = Problems()
    if policy is not None and policy.is_published:
        problems.add("status", _("A published version is never changed; create a new version."))
        problems.raise_if_any()
    if not (name or "").strip():
        problems.add("name", _("This field is required."))
    if effective_from is None:
        problems.add("effective_from", _("This field is required."))
    if bonus_base is not None and bonus_base < 0:
        problems.add("bonus_base", _("The bonus base cannot be negative."))
    if total_cap is not None and total_cap < 0:
        problems.add("total_cap", _("A cap cannot be negative."))
    cleaned = _check_rules(problems, rules)
    tiers = _check_tiers(problems, bonus_tiers)
    problems.raise_if_any()
    if policy is None:
        latest = IncentivePolicy.objects.aggregate(latest=Max("version"))["latest"] or 0
        policy = IncentivePolicy(version=latest + 1, created_by=person_of(actor))
    policy.name = name.strip()
    policy.effective_from = effective_from
    policy.description = description
    policy.bonus_base = None if bonus_base is None else quantize_cents(bonus_base)
    policy.bonus_tiers = tiers
    policy.total_cap = total_cap
    policy.save()
    PolicyIndicator.objects.filter(policy=policy).delete()
    PolicyIndicator.objects.bulk_create(
        PolicyIndicator(policy=policy, position=position, **rule)
        for position, rule in enumerate(cleaned)
    )
    return policy


@transaction.atomic
def policy_publish(*, actor, policy: IncentivePolicy) -> IncentivePolicy:
    """Publish a draft to everyone; from then on it is read-only."""
    _check_writer(actor)
    problems = Problems()
    policy = IncentivePolicy.objects.select_for_update().get(pk=policy.pk)
    if policy.is_published:
        problems.add("status", _("This version is already published."))
    rules = policy_rules(policy)
    if not rules:
        problems.add("indicators", _("Give at least one indicator rule."))
    else:
        try:
            scoring.check_weights([rule.weight for rule in rules])
        except scoring.RuleError as error:
            problems.add("indicators", str(error))
    problems.raise_if_any()
    policy.status = PolicyStatus.PUBLISHED
    policy.published_at = timezone.now()
    policy.published_by = person_of(actor)
    policy.save(update_fields=["status", "published_at", "published_by"])
    return policy


def rules_of(policy: IncentivePolicy) -> list[dict]:
    """A policy's rules in the input form of `policy_save` (to start a new version)."""
    return [
        {
            "indicator": rule.indicator,
            "weight": rule.weight,
            "bands": scoring.format_bands(scoring.bands_from_json(rule.bands)),
            "cap": rule.cap,
            "ideal_bonus": rule.ideal_bonus,
        }
        for rule in policy_rules(policy)
    ]
