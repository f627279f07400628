"""Decomposition arithmetic: every split adds up exactly to its whole (hypothesis)."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salesorg.targets.decomposition import (
    allocate_table,
    from_units,
    split_by_hand,
    split_by_weights,
    split_evenly,
    split_pair,
    to_units,
    year_to_months,
    year_to_quarters,
)

# The machine may be busy: slow input generation is not a failure of the code under test.
relaxed = settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
totals = st.integers(min_value=0, max_value=10**13)
weights = st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=30)
twelve = st.lists(st.integers(min_value=0, max_value=10**9), min_size=12, max_size=12)


@relaxed
@given(total=totals, weights=weights)
def test_a_weighted_split_adds_up_exactly(total, weights):
    parts = split_by_weights(total=total, weights=weights)
    assert sum(parts) == total
    assert len(parts) == len(weights)
    assert all(part >= 0 for part in parts)


@relaxed
@given(total=totals, weights=weights)
def test_each_part_is_within_one_unit_of_its_exact_share(total, weights):
    parts = split_by_weights(total=total, weights=weights)
    weight_sum = sum(weights) or None
    for part, weight in zip(parts, weights, strict=True):
        exact = total * weight / weight_sum if weight_sum else total / len(weights)
        assert abs(part - exact) < 1 + 1e-6 * max(1, exact)
        if weight_sum and weight == 0:
            assert part == 0  # a unit with no history gets nothing when others have some


@relaxed
@given(total=totals, count=st.integers(min_value=1, max_value=50))
def test_zero_history_falls_back_to_an_even_split(total, count):
    parts = split_by_weights(total=total, weights=[0] * count)
    assert parts == split_evenly(total=total, count=count)
    assert max(parts) - min(parts) <= 1
    assert sum(parts) == total


def test_remainders_go_to_the_largest_remainders_then_by_order():
    # given 100 cents split three ways
    # then the one extra cent goes to the first part (ties by order)
    assert split_evenly(total=100, count=3) == [34, 33, 33]
    # and by weights 1:1:2 of 101: quotas 25.25, 25.25, 50.5 → the largest remainder wins
    assert split_by_weights(total=101, weights=[1, 1, 2]) == [25, 25, 51]


@relaxed
@given(total=totals, weights=twelve)
def test_year_to_quarters_to_months_adds_up_at_every_level(total, weights):
    months = year_to_months(total=total, monthly_weights=weights)
    quarters = year_to_quarters(total=total, monthly_weights=weights)
    assert len(months) == 12
    assert sum(months) == total
    assert [sum(months[q * 3 : q * 3 + 3]) for q in range(4)] == quarters


@relaxed
@given(realistic=totals, stretch=totals, weights=twelve)
def test_a_pair_split_keeps_ideal_above_realistic_in_every_part(realistic, stretch, weights):
    ideal = realistic + stretch
    real_parts, ideal_parts = split_pair(
        realistic=realistic, ideal=ideal, split=year_to_months, monthly_weights=weights
    )
    assert sum(real_parts) == realistic
    assert sum(ideal_parts) == ideal
    assert all(i >= r for r, i in zip(real_parts, ideal_parts, strict=True))


@relaxed
@given(
    rows=st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=12),
    column_weights=twelve,
)
def test_a_table_adds_up_to_its_rows_and_columns(rows, column_weights):
    columns = year_to_months(total=sum(rows), monthly_weights=column_weights)
    table = allocate_table(row_totals=rows, column_totals=columns)
    assert [sum(row) for row in table] == rows
    assert [sum(column) for column in zip(*table, strict=True)] == columns
    assert all(cell >= 0 for row in table for cell in row)


@relaxed
@given(parts=st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=12))
def test_a_split_by_hand_is_accepted_only_when_it_adds_up(parts):
    assert split_by_hand(total=sum(parts), parts=parts) == parts
    with pytest.raises(ValueError):
        split_by_hand(total=sum(parts) + 1, parts=parts)


def test_money_is_split_in_cents_and_counts_in_whole_numbers():
    assert to_units(value=Decimal("1000.01"), metric="sales") == 100001
    assert from_units(units=100001, metric="sales") == Decimal("1000.01")
    assert to_units(value=Decimal("7"), metric="visits") == 7
    with pytest.raises(ValueError):
        to_units(value=Decimal("7.5"), metric="visits")
    # given ¥1,000.01 over 12 months evenly: every month to the cent, the sum exact
    months = year_to_months(total=100001, monthly_weights=[1] * 12)
    assert sum(months) == 100001
    assert sorted(set(months)) == [8333, 8334]


def test_negative_inputs_are_refused():
    with pytest.raises(ValueError):
        split_by_weights(total=-1, weights=[1])
    with pytest.raises(ValueError):
        split_by_weights(total=1, weights=[1, -1])
    with pytest.raises(ValueError):
        split_pair(realistic=2, ideal=1, split=split_evenly, count=2)
