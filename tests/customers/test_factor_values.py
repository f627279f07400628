"""An evaluation's measured factors read as a person expects: 25.00%, not 0.2500."""

from django.template import Context, Template


def shown(name: str, value: str | None) -> str:
    template = Template("{% load customer_credit %}{{ factor|factor_value }}")
    return template.render(Context({"factor": {"name": name, "value": value}}))


def test_shares_and_rates_are_percentages_with_two_decimals():
    assert shown("overdue_share", "0.2500") == "25.00%"
    assert shown("margin", "0.3125") == "31.25%"
    assert shown("sales_trend", "-0.1250") == "-12.50%"


def test_visits_are_whole_and_scores_have_two_decimals():
    assert shown("visits", "12.0000") == "12"
    assert shown("satisfaction", "4.3333") == "4.33"
    assert shown("days_late", "12.5000") == "12.50"


def test_no_value_is_a_dash():
    assert shown("satisfaction", None) == "—"
