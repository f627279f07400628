"""What no request value may hold, whatever its content type: the input-hygiene checks.

A NUL character cannot be stored or compared by PostgreSQL, a lone surrogate (`"\\ud800"`
in JSON) cannot be encoded by either database, a non-finite number (`NaN`, `1e400`) is no
amount, and an integer beyond 64 bits is no id or count: each would fail deep in a query as a
500. The middleware answers 400 naming the value's place instead, before any view runs.
Django's own messages are used where it has one (already translated).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext as _

# The largest integer any database column here holds (a signed 64-bit primary key).
MAX_INTEGER = 2**63 - 1
# The days any date of a request may name: a business date far outside them is a typing error,
# and code that adds a day to 9999-12-31 fails (`year 10000 is out of range`). The API's
# `Day` type and the pages' date fields and parameters all check this one range.
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2199, 12, 31)
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


@dataclass(frozen=True)
class BadValue:
    """Where a request holds a value no view may see (`loc` as the API names places)."""

    loc: tuple
    msg: str


def text_problem(text: str) -> str | None:
    """Why `text` cannot be stored (None: it can)."""
    if "\x00" in text:
        return _("Null characters are not allowed.")
    if any("\ud800" <= char <= "\udfff" for char in text):
        return _("Text must be valid Unicode (a lone surrogate such as \\ud800 is not).")
    return None


def day_problem(day: date) -> str | None:
    """Why `day` is not a date a request may name (None: it is)."""
    if EARLIEST_DAY <= day <= LATEST_DAY:
        return None
    return _("Enter a date between %(earliest)s and %(latest)s.") % {
        "earliest": EARLIEST_DAY.isoformat(),
        "latest": LATEST_DAY.isoformat(),
    }


def validate_day(day: date) -> None:
    """Django validator of a date field: the day lies in [EARLIEST_DAY, LATEST_DAY]."""
    problem = day_problem(day)
    if problem is not None:
        raise ValidationError(problem, code="day_out_of_range")


class BadParameter(Exception):
    """A page's query parameter no view can use (the middleware answers 400 naming it)."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


def id_param(values: Mapping[str, str], name: str) -> int | None:
    """The id `?name=` gives (None: absent or not a number); one past 64 bits is refused."""
    value = values.get(name, "")
    if not value.isdigit():
        return None
    number = int(value)
    if number > MAX_INTEGER:
        raise BadParameter(
            name,
            _("Ensure this value is less than or equal to %(limit_value)s.")
            % {"limit_value": MAX_INTEGER},
        )
    return number


def checked_day(name: str, day: date | None) -> date | None:
    """`day` as a page parameter `name` gave it; one outside the date range is refused."""
    problem = day_problem(day) if day is not None else None
    if problem is not None:
        raise BadParameter(name, problem)
    return day


def readable(name: str) -> str:
    """A parameter's name with the characters removed that cannot be shown or stored."""
    return "".join(char for char in name if char != "\x00" and not "\ud800" <= char <= "\udfff")


def bad_in_request(request: HttpRequest, *, raw_json_body: bool) -> BadValue | None:
    """The first bad value among the query parameters and the body of `request`.

    `raw_json_body`: the body is read as JSON whatever its content type, as the API reads it
    (django-ninja parses any body as JSON), except a multipart upload, read as a form (its
    files are not loaded into memory whole); otherwise a form body is read as a form and any
    other body as JSON.
    """
    found = bad_in_querydict(request.GET, where="query")
    if found is not None:
        return found
    is_upload = request.content_type == "multipart/form-data"  # the API reads these as a form
    if (raw_json_body and not is_upload) or request.content_type not in FORM_CONTENT_TYPES:
        return bad_in_json(request.body) if request.body else None
    return bad_in_querydict(request.POST, where="body")


def bad_in_querydict(values: QueryDict, *, where: str) -> BadValue | None:
    """The first parameter of a query string or form whose name or value holds bad text."""
    for name, items in values.lists():
        for text in (name, *items):
            problem = text_problem(text)
            if problem is not None:
                return BadValue((where, readable(name)), problem)
    return None


def bad_in_json(body: bytes) -> BadValue | None:
    """The first bad value of a JSON body (None: none, or the body is not JSON at all,
    which the API answers itself)."""
    try:
        data = json.loads(body, parse_constant=_non_finite)
    except ValueError:
        return None
    return _bad_in_data(data, ("body",))


class _NonFinite(float):
    """`NaN`, `Infinity` or `-Infinity` as JSON spells them (not standard JSON)."""


def _non_finite(name: str) -> float:
    return _NonFinite(name)


def _bad_in_data(value, path: tuple) -> BadValue | None:
    if isinstance(value, str):
        problem = text_problem(value)
        return BadValue(path, problem) if problem is not None else None
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and abs(value) > MAX_INTEGER:
        return BadValue(
            path,
            _("Ensure this value is less than or equal to %(limit_value)s.")
            % {"limit_value": MAX_INTEGER},
        )
    if isinstance(value, float) and not math.isfinite(value):
        return BadValue(path, _("Enter a number."))
    items: Iterable = ()
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    for key, item in items:
        if isinstance(key, str):
            problem = text_problem(key)
            if problem is not None:
                return BadValue((*path, readable(key)), problem)
        found = _bad_in_data(item, (*path, key))
        if found is not None:
            return found
    return None
