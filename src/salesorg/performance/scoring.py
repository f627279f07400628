"""Pure scoring arithmetic of the incentive policy: bands, caps, weights and the bonus.

Rules, exactly:
- A band covers `from ≤ value < to` (lower bound inclusive, upper bound exclusive); a band
  without `to` covers every value ≥ `from`. Bands may not overlap.
- Inside a band the points go linearly from `points_from` (at `from`) to `points_to`
  (at `to`); an open top band gives `points_from` flat.
- A value below every band, or no value at all (no target, zero denominator), scores 0.
- The ideal bonus is added when the ideal achievement is ≥ 1 (the ideal target is met).
- The indicator's cap then limits its points: points = min(points, cap).
- Weights are percentages and must add up to exactly 100; the total score is
  Σ weight × points / 100, limited by the policy's total cap.
- Points are rounded to 4 decimals (half up) per indicator; the total is the sum of
  the rounded weighted points, rounded to 4 decimals.
- Bonus = bonus base per month × months of the period × the factor of the highest tier
  whose `min_score` ≤ total score (no tier reached: factor 0), rounded to cents half up.
No floating point anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from itertools import pairwise

from django.utils.translation import gettext as _

POINTS = Decimal("0.0001")
CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal(0)


class RuleError(ValueError):
    """A rule that cannot be used; the message says why."""


@dataclass(frozen=True)
class Band:
    """from ≤ value < to (to None: no upper bound), points linear from → to."""

    lower: Decimal
    upper: Decimal | None
    points_from: Decimal
    points_to: Decimal

    def covers(self, value: Decimal) -> bool:
        return value >= self.lower and (self.upper is None or value < self.upper)

    def points(self, value: Decimal) -> Decimal:
        if self.upper is None or self.points_from == self.points_to:
            return self.points_from
        with localcontext() as context:
            context.prec = 28
            span = self.upper - self.lower
            return self.points_from + (self.points_to - self.points_from) * (
                (value - self.lower) / span
            )

    def label(self) -> str:
        upper = "∞" if self.upper is None else plain(self.upper)
        return f"[{plain(self.lower)}, {upper})"

    def as_json(self) -> dict:
        return {
            "from": plain(self.lower),
            "to": None if self.upper is None else plain(self.upper),
            "points_from": plain(self.points_from),
            "points_to": plain(self.points_to),
        }


@dataclass(frozen=True)
class Tier:
    """From this total score on, the bonus factor is `factor`."""

    min_score: Decimal
    factor: Decimal

    def as_json(self) -> dict:
        return {"min_score": plain(self.min_score), "factor": plain(self.factor)}


@dataclass(frozen=True)
class IndicatorScore:
    """The points of one indicator and how they came about."""

    points: Decimal
    band: Band | None
    capped: bool
    ideal_bonus: bool


def plain(value: Decimal) -> str:
    """A decimal in fixed-point text without exponent or trailing zeros."""
    text = format(value.normalize(), "f")
    return text


def decimal(value, *, what: str) -> Decimal:
    """Parse an exact decimal (str/int/Decimal, never float)."""
    if isinstance(value, float):
        raise RuleError(_("%(what)s must be an exact decimal.") % {"what": what})
    try:
        result = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        message = _("%(what)s is not a number: %(value)s") % {"what": what, "value": value}
        raise RuleError(message) from None
    if not result.is_finite():
        raise RuleError(_("%(what)s is not a number: %(value)s") % {"what": what, "value": value})
    return result


def bands_from_json(data) -> list[Band]:
    """Bands from their stored JSON, checked (ordered, not overlapping, from < to)."""
    bands = []
    for entry in data or []:
        upper = entry.get("to")
        bands.append(
            Band(
                lower=decimal(entry.get("from"), what=_("Band start")),
                upper=None if upper in (None, "") else decimal(upper, what=_("Band end")),
                points_from=decimal(entry.get("points_from"), what=_("Points")),
                points_to=decimal(
                    entry.get("points_to", entry.get("points_from")), what=_("Points")
                ),
            )
        )
    return check_bands(bands)


def check_bands(bands: list[Band]) -> list[Band]:
    """Sorted bands, or RuleError when one is empty, overlaps another or an open one isn't last."""
    ordered = sorted(bands, key=lambda band: band.lower)
    for index, band in enumerate(ordered):
        if band.upper is not None and band.upper <= band.lower:
            raise RuleError(_("A band must end after it starts: %(band)s") % {"band": band.label()})
        following = ordered[index + 1] if index + 1 < len(ordered) else None
        if following is not None and (band.upper is None or band.upper > following.lower):
            raise RuleError(_("Bands overlap: %(band)s") % {"band": following.label()})
    return ordered


def parse_bands(text: str) -> list[Band]:
    """Bands from text, one per line: `from to points_from points_to` (`to` may be `-`)."""
    bands = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.replace(",", " ").replace(";", " ").strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) not in (3, 4):
            raise RuleError(
                _("Line %(number)s: write 'from to points_from points_to'.") % {"number": number}
            )
        upper = None if parts[1] in ("-", "∞", "") else decimal(parts[1], what=_("Band end"))
        points_from = decimal(parts[2], what=_("Points"))
        points_to = decimal(parts[3], what=_("Points")) if len(parts) == 4 else points_from
        bands.append(Band(decimal(parts[0], what=_("Band start")), upper, points_from, points_to))
    return check_bands(bands)


def format_bands(bands: list[Band]) -> str:
    """The text form that `parse_bands` reads back."""
    return "\n".join(
        " ".join(
            (
                plain(band.lower),
                "-" if band.upper is None else plain(band.upper),
                plain(band.points_from),
                plain(band.points_to),
            )
        )
        for band in bands
    )


def tiers_from_json(data) -> list[Tier]:
    """Bonus tiers from stored JSON, sorted by minimum score; duplicates refused."""
    tiers = sorted(
        (
            Tier(
                decimal(entry.get("min_score"), what=_("Minimum score")),
                decimal(entry.get("factor"), what=_("Factor")),
            )
            for entry in data or []
        ),
        key=lambda tier: tier.min_score,
    )
    for first, second in pairwise(tiers):
        if first.min_score == second.min_score:
            raise RuleError(_("Two bonus tiers start at the same score."))
    if any(tier.factor < 0 for tier in tiers):
        raise RuleError(_("A bonus factor cannot be negative."))
    return tiers


def parse_tiers(text: str) -> list[Tier]:
    """Tiers from text, one per line: `min_score factor`."""
    entries = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        parts = raw.replace(",", " ").split()
        if not parts:
            continue
        if len(parts) != 2:
            raise RuleError(_("Line %(number)s: write 'min_score factor'.") % {"number": number})
        entries.append({"min_score": parts[0], "factor": parts[1]})
    return tiers_from_json(entries)


def format_tiers(tiers: list[Tier]) -> str:
    """The text form that `parse_tiers` reads back."""
    return "\n".join(f"{plain(tier.min_score)} {plain(tier.factor)}" for tier in tiers)


def round_points(value: Decimal) -> Decimal:
    """Points rounded to 4 decimals, half up."""
    return value.quantize(POINTS, rounding=ROUND_HALF_UP)


def indicator_points(
    *,
    value: Decimal | int | None,
    bands: list[Band],
    cap: Decimal | None = None,
    ideal_bonus: Decimal = ZERO,
    ideal_reached: bool = False,
) -> IndicatorScore:
    """Points of one indicator value: band (linear inside), + ideal bonus, then the cap."""
    band = None
    points = ZERO
    if value is not None:
        value = Decimal(value)
        band = next((band for band in bands if band.covers(value)), None)
        if band is not None:
            points = band.points(value)
    bonus = bool(ideal_reached and ideal_bonus)
    if bonus:
        points += ideal_bonus
    capped = cap is not None and points > cap
    if capped:
        points = cap
    return IndicatorScore(round_points(points), band, capped, bonus)


def check_weights(weights: list[Decimal]) -> None:
    """Weights must be ≥ 0 and add up to exactly 100."""
    if any(weight < 0 for weight in weights):
        raise RuleError(_("A weight cannot be negative."))
    total = sum(weights, ZERO)
    if total != HUNDRED:
        raise RuleError(
            _("The weights add up to %(total)s; they must add up to 100.") % {"total": plain(total)}
        )


def weighted(*, points: Decimal, weight: Decimal) -> Decimal:
    """weight % of the points, rounded to 4 decimals."""
    return round_points(points * weight / HUNDRED)


def total_score(*, weighted_points: list[Decimal], cap: Decimal | None = None) -> Decimal:
    """Σ weighted points, limited by the total cap."""
    total = round_points(sum(weighted_points, ZERO))
    return min(total, cap) if cap is not None else total


def bonus_factor(*, total: Decimal, tiers: list[Tier]) -> Decimal:
    """The factor of the highest tier with min_score ≤ total (0 below every tier)."""
    factor = ZERO
    for tier in tiers:
        if total >= tier.min_score:
            factor = tier.factor
    return factor


def bonus_amount(*, base: Decimal | None, months: int, factor: Decimal) -> Decimal | None:
    """base × months × factor in cents (half up); None when the policy has no bonus base."""
    if base is None:
        return None
    return (base * months * factor).quantize(CENT, rounding=ROUND_HALF_UP)
