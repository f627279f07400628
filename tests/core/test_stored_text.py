"""Stored text: a key with parameters renders in the active language; an unknown key or a
parameter missing from an old row never breaks a page."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy

from salesorg.core.stored_text import money_param, stored_message, stored_params, stored_text

MESSAGE = stored_message(
    "tests.core.owed",
    gettext_lazy("The customer has %(amount)s of invoices more than %(days)s days overdue."),
    formats={"amount": money_param},
)


def test_parameters_are_stored_json_ready_and_shown_formatted():
    params = stored_params({"amount": Decimal("1234.5"), "days": 90, "on": date(2026, 12, 6)})
    assert params == {"amount": "1234.5", "days": 90, "on": "2026-12-06"}
    with translation.override("en"):
        text = stored_text(MESSAGE.key, params)
    assert text == "The customer has ¥1,234.50 of invoices more than 90 days overdue."


def test_an_unknown_key_shows_the_sentence_as_first_written():
    assert stored_text("tests.core.unknown", {}, fallback="按原文显示") == "按原文显示"
    assert stored_text("", {"a": 1}, fallback="typed by a person") == "typed by a person"


def test_a_missing_parameter_does_not_break_the_page():
    with translation.override("en"):
        text = stored_text(MESSAGE.key, {"amount": "10"})
    assert text == "The customer has ¥10.00 of invoices more than  days overdue."


def test_a_key_is_declared_once():
    with pytest.raises(ValueError):
        stored_message("tests.core.owed", gettext_lazy("Something else %(x)s"))
