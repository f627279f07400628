"""Incentive policy writes: save a draft, publish it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from salesorg.core.money import quantize_cents
from salesorg.core.problems import Problems
from salesorg.core.roles import person_of
from salesorg.performance import scoring
from salesorg.performance.models import (
    IncentivePolicy,
    PolicyIndicator,
    PolicyStatus,
    ScoredIndicator,
)
from salesorg.performance.permissions import can_write_policy
from salesorg.performance.selectors.policies import policy_rules


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


def _check_writer(actor: User | None) -> None:
    """Director and admin only; `actor` None is the system itself (demo data, imports)."""
    if actor is not None and not can_write_policy(actor):
        problems = Problems()
        problems.add("status", _("Only the director and admin write incentive policies."))
        problems.raise_if_any()


@transaction.atomic
def policy_save(
    *,
    actor: User | None,
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
    assert effective_from is not None  # checked above
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
def policy_publish(*, actor: User | None, policy: IncentivePolicy) -> IncentivePolicy:
    """Publish a draft to everyone; from then on it is read-only."""
    _check_writer(actor)
    problems = Problems()
    policy = IncentivePolicy.objects.select_for_update().get(pk=policy.pk)
    if policy.is_published:
        problems.add("status", _("This version is already published."))
    rules = policy_rules(policy=policy)
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
