"""Pure scoring rules: band boundaries, linear points, caps, ideal bonus, weights, bonus."""

from decimal import Decimal as D

import pytest

from salesorg.performance import scoring
from salesorg.performance.scoring import Band, RuleError, Tier

ACHIEVEMENT = scoring.parse_bands("0 0.8 0 0\n0.8 1 60 100\n1 1.2 100 120\n1.2 - 120 120")


@pytest.mark.parametrize(
    ("value", "points"),
    [
        (D("0"), D("0")),
        (D("0.7999"), D("0")),  # below 80 %: 0
        (D("0.8"), D("60")),  # 80 % is in the linear band (lower bound inclusive)
        (D("0.9"), D("80")),  # halfway: linear
        (D("0.99999"), D("99.998")),  # just below the upper bound (exclusive)
        (D("1"), D("100")),  # 100 % belongs to the next band
        (D("1.1"), D("110")),
        (D("1.2"), D("120")),  # open top band: flat
        (D("5"), D("120")),
    ],
)
def test_band_boundaries_lower_inclusive_upper_exclusive(value, points):
    # given the default achievement bands; when scored; then exactly the documented points
    assert scoring.indicator_points(value=value, bands=ACHIEVEMENT).points == points


def test_value_below_every_band_or_null_scores_zero():
    bands = scoring.parse_bands("1 3 60 100\n3 - 100")
    assert scoring.indicator_points(value=0, bands=bands).points == 0
    assert scoring.indicator_points(value=None, bands=bands).points == 0
    assert scoring.indicator_points(value=None, bands=bands).band is None
    assert scoring.indicator_points(value=1, bands=bands).points == 60
    assert scoring.indicator_points(value=3, bands=bands).points == 100


def test_cap_limits_points_and_is_reported():
    # given a cap of 110 and a value worth 120
    score = scoring.indicator_points(value=D("1.5"), bands=ACHIEVEMENT, cap=D("110"))
    # then the points stop at the cap
    assert score.points == D("110") and score.capped
    # and a value exactly at the cap is not "capped"
    exact = scoring.indicator_points(value=D("1.1"), bands=ACHIEVEMENT, cap=D("110"))
    assert exact.points == D("110") and not exact.capped


def test_ideal_bonus_is_added_before_the_cap():
    score = scoring.indicator_points(
        value=D("1.1"), bands=ACHIEVEMENT, cap=D("115"), ideal_bonus=D("10"), ideal_reached=True
    )
    assert score.points == D("115") and score.capped and score.ideal_bonus
    not_reached = scoring.indicator_points(
        value=D("1.1"), bands=ACHIEVEMENT, ideal_bonus=D("10"), ideal_reached=False
    )
    assert not_reached.points == D("110") and not not_reached.ideal_bonus


def test_points_round_half_up_to_four_decimals():
    bands = [Band(D(0), D(3), D(0), D(1))]
    # 1/3 of a point → 0.3333; 0.00005 rounds up
    assert scoring.indicator_points(value=D(1), bands=bands).points == D("0.3333")
    assert scoring.round_points(D("0.00005")) == D("0.0001")


def test_weights_must_sum_to_exactly_100():
    scoring.check_weights([D("40"), D("60")])
    with pytest.raises(RuleError, match="100"):
        scoring.check_weights([D("40"), D("59.9999")])
    with pytest.raises(RuleError):
        scoring.check_weights([D("-10"), D("110")])


def test_total_is_sum_of_weighted_points_with_total_cap():
    parts = [
        scoring.weighted(points=D("120"), weight=D("40")),
        scoring.weighted(points=D("80"), weight=D("60")),
    ]
    assert parts == [D("48"), D("48")]
    assert scoring.total_score(weighted_points=parts) == D("96")
    assert scoring.total_score(weighted_points=parts, cap=D("90")) == D("90")


@pytest.mark.parametrize(
    ("total", "factor"),
    [
        (D("59.9999"), D("0")),
        (D("60"), D("0.5")),
        (D("79.9999"), D("0.5")),
        (D("80"), D("1")),
        (D("150"), D("1.2")),
    ],
)
def test_bonus_factor_from_highest_tier_reached(total, factor):
    tiers = scoring.parse_tiers("60 0.5\n80 1\n100 1.2")
    assert scoring.bonus_factor(total=total, tiers=tiers) == factor


def test_bonus_is_base_times_months_times_factor_exact_to_the_cent():
    assert scoring.bonus_amount(base=D("3000.00"), months=3, factor=D("1.2")) == D("10800.00")
    assert scoring.bonus_amount(base=D("1000.01"), months=1, factor=D("0.333")) == D("333.00")
    assert scoring.bonus_amount(base=D("0.05"), months=1, factor=D("0.5")) == D("0.03")  # half up
    assert scoring.bonus_amount(base=None, months=1, factor=D("1")) is None


def test_band_text_round_trips_and_bad_bands_are_refused():
    assert scoring.parse_bands(scoring.format_bands(ACHIEVEMENT)) == ACHIEVEMENT
    with pytest.raises(RuleError, match="overlap"):
        scoring.parse_bands("0 1 0 100\n0.5 2 0 100")
    with pytest.raises(RuleError):
        scoring.parse_bands("1 1 0 100")  # empty band
    with pytest.raises(RuleError):
        scoring.parse_bands("0 - 0\n1 2 0 0")  # an open band must be last
    with pytest.raises(RuleError):
        scoring.parse_bands("zero 1 0 0")
    with pytest.raises(RuleError):
        scoring.decimal(0.5, what="x")  # floats are never accepted


def test_tiers_refuse_duplicates_and_negative_factors():
    assert scoring.parse_tiers("80 1\n60 0.5") == [Tier(D(60), D("0.5")), Tier(D(80), D(1))]
    with pytest.raises(RuleError):
        scoring.parse_tiers("60 1\n60 2")
    with pytest.raises(RuleError):
        scoring.parse_tiers("60 -1")
