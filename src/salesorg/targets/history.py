"""Which actuals a decomposition or a proposal learns from, and how the ideal is proposed.

Seasonality (months), shares (units below) and progressive-target proposals come from a
complete period of actuals, never from a year still running:

- the last complete year: the latest calendar year that has ended and precedes the plan's
  year (on 2026-12-06, for the 2027 plan: 2025);
- the last 12 complete months: the 12 months before the current one, ending no later than
  the December before the plan's year (on 2026-12-06: 2025-12 to 2026-11);
- a reference year the user names: any complete year (the page offers those with records).

Too little history (see `history_gap`): seasonality needs actuals in at least
`MIN_MONTHS_WITH_ACTUALS` of the basis' 12 months (fewer means a unit that started part way
or sold in a few orders, whose pattern would pin the year on those months); shares need
actuals for at least one unit below. Otherwise the split by history is refused with a
message that names the period and offers an even split, a split by hand or a reference year.

The proposed ideal target is the realistic one × (1 + uplift): the uplift set on the plan by
the director, else last year's ideal ÷ realistic targets of the metric, else
`DEFAULT_IDEAL_UPLIFT` (10 %). Pure functions: no database reads here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from salesorg.core.money import format_money
from salesorg.targets.choices import HistoryBasis, UpliftSource
from salesorg.targets.decomposition import from_units, is_count

MIN_MONTHS_WITH_ACTUALS = 6
DEFAULT_IDEAL_UPLIFT = Decimal("10")  # percent
PERCENT_PLACES = Decimal("0.01")

Month = tuple[int, int]


def _month_text(month: Month) -> str:
    return f"{month[0]}-{month[1]:02d}"


def _back(month: Month, count: int) -> Month:
    index = month[0] * 12 + month[1] - 1 - count
    return index // 12, index % 12 + 1


@dataclass(frozen=True)
class Basis:
    """A complete period of 12 months whose actuals a split or a proposal follows."""

    kind: str
    months: tuple[Month, ...]

    @property
    def start(self) -> date:
        return date(self.months[0][0], self.months[0][1], 1)

    @property
    def end_month(self) -> Month:
        return self.months[-1]

    @property
    def year(self) -> int | None:
        """The calendar year of a whole-year basis (None for the last 12 months)."""
        return None if self.kind == HistoryBasis.LAST_12_MONTHS else self.months[0][0]

    @property
    def label(self) -> str:
        """Exactly which months: "2025 全年", "2025-12 至 2026-11（最近 12 个完整月）"."""
        if self.kind == HistoryBasis.LAST_12_MONTHS:
            return _("%(start)s to %(end)s (last 12 complete months)") % {
                "start": _month_text(self.months[0]),
                "end": _month_text(self.months[-1]),
            }
        if self.kind == HistoryBasis.REFERENCE_YEAR:
            return _("%(year)s, whole year (reference year)") % {"year": self.year}
        return _("%(year)s, whole year") % {"year": self.year}

    def by_calendar_month(self, values: list[int]) -> list[int]:
        """The basis' 12 monthly values re-ordered January … December (for seasonality)."""
        ordered = [0] * 12
        for (_year, month), value in zip(self.months, values, strict=True):
            ordered[month - 1] = value
        return ordered


def _year_basis(kind: str, year: int) -> Basis:
    return Basis(kind=kind, months=tuple((year, month) for month in range(1, 13)))


def history_basis(
    *, kind: str, plan_year: int, today: date, reference_year: int | None = None
) -> Basis:
    """The complete period of `kind` for a plan's year as of `today` (ValidationError on
    an unknown kind or a reference year that is missing or not yet over)."""
    if kind == HistoryBasis.REFERENCE_YEAR:
        if reference_year is None or not 2000 <= reference_year < today.year:
            raise ValidationError(
                {
                    "reference_year": [
                        _("Choose a reference year that is over (before %(year)s).")
                        % {"year": today.year}
                    ]
                }
            )
        return _year_basis(kind, reference_year)
    if kind == HistoryBasis.LAST_YEAR:
        return _year_basis(kind, min(plan_year, today.year) - 1)
    if kind == HistoryBasis.LAST_12_MONTHS:
        end = min(_back((today.year, today.month), 1), (plan_year - 1, 12))
        return Basis(kind=kind, months=tuple(_back(end, back) for back in range(11, -1, -1)))
    raise ValidationError({"basis": [_("Unknown basis: %(basis)s.") % {"basis": kind}]})


def basis_options(*, plan_year: int, today: date, years_with_data: list[int]) -> list[tuple]:
    """The bases a page offers, labelled with their months: the last complete year, the last
    12 complete months, then each other complete year with records (newest first)."""
    last_year = history_basis(kind=HistoryBasis.LAST_YEAR, plan_year=plan_year, today=today)
    last_12 = history_basis(kind=HistoryBasis.LAST_12_MONTHS, plan_year=plan_year, today=today)
    options = [
        (HistoryBasis.LAST_YEAR.value, last_year.label),
        (HistoryBasis.LAST_12_MONTHS.value, last_12.label),
    ]
    for year in sorted(set(years_with_data), reverse=True):
        if year != last_year.year and year < today.year:
            basis = _year_basis(HistoryBasis.REFERENCE_YEAR, year)
            options.append((str(year), basis.label))
    return options


def parse_basis(value: str) -> tuple[str, int | None]:
    """A page's basis choice ("last_year", "last_12_months" or a year) as (kind, year)."""
    if value in (HistoryBasis.LAST_YEAR, HistoryBasis.LAST_12_MONTHS):
        return value, None
    if value.isdigit():
        return HistoryBasis.REFERENCE_YEAR, int(value)
    raise ValueError(value)


def history_gap(*, monthly: list[int]) -> bool:
    """Too little history for seasonality: actuals in fewer than the minimum of months."""
    return sum(1 for value in monthly if value > 0) < MIN_MONTHS_WITH_ACTUALS


def too_little_message(*, unit: str, metric: str, basis: Basis, monthly: list[int]) -> str:
    """Why the months cannot follow the basis, and what to do instead."""
    count = sum(1 for value in monthly if value > 0)
    if count == 0:
        found = _("%(unit)s has no actuals of %(metric)s in %(basis)s.")
    else:
        found = _(
            "%(unit)s has actuals of %(metric)s in only %(count)s of the 12 months of %(basis)s; "
            "at least %(minimum)s are needed to follow a season."
        )
    return " ".join(
        (
            found
            % {
                "unit": unit,
                "metric": metric,
                "basis": basis.label,
                "count": count,
                "minimum": MIN_MONTHS_WITH_ACTUALS,
            },
            _("Split evenly, type the months by hand in the grid, or choose a reference year."),
        )
    )


def no_shares_message(*, unit: str, metric: str, basis: Basis) -> str:
    """Why the units below cannot share by the basis, and what to do instead."""
    return " ".join(
        (
            _("None of the units below %(unit)s has actuals of %(metric)s in %(basis)s.")
            % {"unit": unit, "metric": metric, "basis": basis.label},
            _("Split evenly, type their years by hand in the grid, or choose a reference year."),
        )
    )


# --- the ideal's uplift -----------------------------------------------------------------------


@dataclass(frozen=True)
class Uplift:
    """How much the proposed ideal target is above the realistic one, and where that comes
    from: the plan's setting, last year's targets (`year`, their sums) or the default."""

    percent: Decimal
    source: str
    year: int
    metric: str
    plan_title: str = ""
    realistic_sum: int = 0
    ideal_sum: int = 0

    @property
    def factor(self) -> Decimal:
        return 1 + self.percent / 100

    def ideal(self, realistic: int) -> int:
        """The ideal for a realistic target in whole units, rounded up (never below it)."""
        return int((realistic * self.factor).to_integral_value(rounding=ROUND_CEILING))

    @property
    def text(self) -> str:
        """ "Ideal target = realistic target × 1.10 (10.00% higher)"."""
        factor = self.factor.normalize()
        if factor == factor.quantize(Decimal("0.01")):
            factor = factor.quantize(Decimal("0.01"))  # 1.10, 2.00: at least two places
        return _("Ideal target = realistic target × %(factor)s (%(percent)s%% higher)") % {
            "factor": factor,
            "percent": self.percent.quantize(PERCENT_PLACES),
        }

    @property
    def source_text(self) -> str:
        """Where the uplift comes from, in a sentence."""
        if self.source == UpliftSource.PLAN:
            return _("Set by the director in the sales plan “%(plan)s”.") % {
                "plan": self.plan_title
            }
        if self.source == UpliftSource.LAST_YEAR:
            return _(
                "The ratio of %(year)s's targets: ideal %(ideal)s ÷ realistic %(realistic)s "
                "(no uplift is set in the sales plan)."
            ) % {
                "year": self.year,
                "ideal": _units_text(self.ideal_sum, self.metric),
                "realistic": _units_text(self.realistic_sum, self.metric),
            }
        return _(
            "The default: the sales plan sets no uplift and %(year)s has no targets "
            "to take a ratio from."
        ) % {"year": self.year}


def _units_text(units: int, metric: str) -> str:
    value = from_units(units=units, metric=metric)
    return f"{value:,.0f}" if is_count(metric) else format_money(value)


def ideal_uplift(
    *,
    plan_uplift: Decimal | None,
    plan_title: str,
    year: int,
    metric: str,
    last_year_sums: tuple[int, int] | None,
) -> Uplift:
    """The uplift of a plan's proposals: its own, else last year's (`year`) targets' ratio of
    ideal to realistic sums (whole units), else the default."""
    if plan_uplift is not None:
        return Uplift(
            percent=Decimal(plan_uplift),
            source=UpliftSource.PLAN,
            year=year,
            metric=metric,
            plan_title=plan_title,
        )
    if last_year_sums is not None and last_year_sums[0] > 0:
        realistic, ideal = last_year_sums
        percent = (Decimal(ideal - realistic) * 100 / Decimal(realistic)).quantize(
            PERCENT_PLACES, rounding=ROUND_HALF_UP
        )
        return Uplift(
            percent=max(percent, Decimal(0)),
            source=UpliftSource.LAST_YEAR,
            year=year,
            metric=metric,
            realistic_sum=realistic,
            ideal_sum=ideal,
        )
    return Uplift(
        percent=DEFAULT_IDEAL_UPLIFT, source=UpliftSource.DEFAULT, year=year, metric=metric
    )
