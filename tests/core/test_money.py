"""CNY amounts are Decimal and formatted the way Chinese finance staff read them."""

from decimal import Decimal

from django.template import Context, Template

from salesorg.core.money import format_money, quantize_cents


def test_amounts_have_a_yuan_sign_thousands_and_two_decimals():
    assert format_money(Decimal("1234567.5")) == "¥1,234,567.50"


def test_negative_amounts_put_the_sign_first():
    assert format_money(Decimal("-12.345")) == "-¥12.35"


def test_none_is_blank_and_zero_is_zero():
    assert format_money(None) == ""
    assert format_money(Decimal("0")) == "¥0.00"


def test_rounding_is_half_up_to_the_cent():
    assert quantize_cents(Decimal("0.005")) == Decimal("0.01")
    assert quantize_cents(Decimal("2.675")) == Decimal("2.68")


def test_template_filter_formats_in_both_languages():
    from django.utils import translation

    template = Template("{% load salesorg %}{{ amount|money }}")
    for language in ("zh-hans", "en"):
        with translation.override(language):
            assert template.render(Context({"amount": Decimal("9876.5")})) == "¥9,876.50"
