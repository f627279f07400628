"""Figures read the way the glossary says: grouped, signed with −, rate changes in points."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from salesorg.core.numbers import (
    format_money_short,
    format_number,
    format_pp,
    format_signed_money,
    format_signed_number,
)


def render(source: str, **context) -> str:
    return Template("{% load salesorg %}" + source).render(Context(context))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_counts_and_django_grouped_figures_have_thousands_separators(language):
    with translation.override(language):
        assert format_number(25696) == "25,696"
        assert format_number(Decimal("177837"), 2) == "177,837.00"
        assert render("{{ n|number }}", n=25696) == "25,696"
        # Django's own grouping (floatformat "g", intcomma) follows the project's formats.
        assert render('{{ n|floatformat:"2g" }}', n=Decimal("177837")) == "177,837.00"
        assert (
            Template("{% load humanize %}{{ n|intcomma }}").render(Context({"n": 84315000}))
            == "84,315,000"
        )


def test_number_of_none_is_blank():
    assert format_number(None) == ""


def test_a_rate_change_is_in_percentage_points_with_a_real_minus_sign():
    with translation.override("en"):
        assert format_pp(Decimal("-0.4314")) == "\u221243.14 pp"
        assert format_pp(Decimal("0.05")) == "+5.00 pp"
        assert format_pp(Decimal("0")) == "0.00 pp"
        assert render("{{ d|pp }}", d=Decimal("-0.43135")) == "\u221243.14 pp"
    assert format_pp(None) == ""


def test_a_rate_change_never_reads_as_a_percent():
    for language in ("zh-hans", "en"):
        with translation.override(language):
            text = format_pp(Decimal("-0.4314"))
            assert "%" not in text
            assert text.startswith("\u221243.14")


def test_signed_changes_of_money_and_counts():
    assert format_signed_money(Decimal("-307882.454")) == "\u2212¥307,882.45"
    assert format_signed_money(Decimal("1234.5")) == "+¥1,234.50"
    assert format_signed_money(Decimal("0")) == "¥0.00"
    assert format_signed_number(-1234) == "\u22121,234"
    assert format_signed_number(Decimal("0.345"), 2) == "+0.35"
    assert render("{{ d|signed_money }}", d=Decimal("-5")) == "\u2212¥5.00"


def test_headline_amounts_in_wan_and_yi_in_chinese():
    with translation.override("zh-hans"):
        assert format_money_short(Decimal("65508983.64")) == "¥6,550.90万"
        assert format_money_short(Decimal("176500000")) == "¥1.77亿"
        assert format_money_short(Decimal("9999.5")) == "¥9,999.50"
        assert format_money_short(Decimal("-20000")) == "-¥2.00万"
        assert render("{{ a|money_short }}", a=Decimal("84315000")) == "¥8,431.50万"


def test_headline_amounts_in_k_and_m_in_english():
    with translation.override("en"):
        assert format_money_short(Decimal("65508983.64")) == "¥65.51M"
        assert format_money_short(Decimal("12500")) == "¥12.50K"
        assert format_money_short(None) == ""
