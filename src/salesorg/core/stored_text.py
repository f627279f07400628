"""Text the system writes and stores: a message key with parameters, shown in the reader's language.

A service that composes a title, detail or reason saves `(key, params)`, never the sentence
(GLOSSARY "Text stored by the system"): the sentence is built when it is shown, in the
language of whoever reads it. Apps declare their messages with `stored_message()` at
import time of a module their AppConfig.ready() imports (core imports no app), and models
render them with `stored_text()`.

Parameters are stored JSON-ready (amounts as decimal strings, dates as ISO strings, choice
values as their codes); a message names, per parameter, how a stored value is shown
(`money_param` formats ¥1,234.50; a choice value is shown by its label).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import get_language

from salesorg.core.money import format_money

ParamFormat = Callable[[Any], str]


@dataclass(frozen=True)
class StoredMessage:
    """One kind of stored text: its key, its msgid (a lazy translation) and parameter formats."""

    key: str
    text: Any  # gettext_lazy / pgettext_lazy: translated when shown
    formats: Mapping[str, ParamFormat] = field(default_factory=dict)

    def render(self, params: Mapping[str, Any] | None) -> str:
        """The sentence in the active language."""
        shown = _Shown({name: self._show(name, value) for name, value in (params or {}).items()})
        try:
            return str(self.text) % shown
        except (TypeError, ValueError):  # a translation with a broken placeholder
            return str(self.text)

    def _show(self, name: str, value) -> str:
        show = self.formats.get(name)
        if show is None:
            return "" if value is None else str(value)
        try:
            return str(show(value))
        except (ValueError, TypeError, KeyError, InvalidOperation):
            return str(value)


class _Shown(dict):
    """Parameters as shown; one missing from an old row shows as nothing, never "%(x)s"."""

    def __missing__(self, name: str) -> str:
        return ""


_MESSAGES: dict[str, StoredMessage] = {}


def stored_message(
    key: str, text, *, formats: Mapping[str, ParamFormat] | None = None
) -> StoredMessage:
    """Declare (once per key) a kind of text the system stores; returns it for the service."""
    known = _MESSAGES.get(key)
    if known is not None and known.text is not text:
        raise ValueError(f"The stored message key {key!r} is declared twice.")
    message = StoredMessage(key=key, text=text, formats=dict(formats or {}))
    _MESSAGES[key] = message
    return message


def stored_text(key: str, params: Mapping[str, Any] | None, *, fallback: str = "") -> str:
    """Render a stored key with its parameters in the active language (`fallback` if unknown)."""
    message = _MESSAGES.get(key) if key else None
    if message is None:
        return fallback
    return message.render(params)


def stored_params(values: Mapping[str, Any] | None) -> dict:
    """Parameters as they are stored: JSON-ready (decimals and dates as strings)."""
    return {name: _json_ready(value) for name, value in (values or {}).items()}


def in_reader_language(*, zh: str, en: str) -> str:
    """Data kept in both languages (a name and its English name): the reader's one; the
    Chinese when there is no English, the English when there is no Chinese."""
    if en and (get_language() or "").startswith("en"):
        return en
    return zh or en


def money_param(value) -> str:
    """Show a stored decimal string as money (¥1,234.50)."""
    return "" if value in (None, "") else format_money(Decimal(str(value)))


def _json_ready(value):
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, bool, list, dict)):
        return value
    return str(value)
