"""Field helpers shared by the record models: money, quantities and codes."""

from django.db import models

CODE_LENGTH = 64


def MoneyField(verbose_name, **kwargs) -> models.DecimalField:
    """A CNY amount: Decimal with two places, never float."""
    return models.DecimalField(verbose_name, max_digits=18, decimal_places=2, **kwargs)


def is_money_field(field) -> bool:
    """Was the field made by MoneyField (a two-place Decimal of 18 digits)?"""
    return (
        isinstance(field, models.DecimalField)
        and field.max_digits == 18
        and field.decimal_places == 2
    )


def QuantityField(verbose_name, **kwargs) -> models.DecimalField:
    """A quantity of goods: Decimal with four places."""
    return models.DecimalField(verbose_name, max_digits=18, decimal_places=4, **kwargs)


def CodeField(verbose_name, **kwargs) -> models.CharField:
    """The company's own identifier of a record (1–64 characters, unique in its file)."""
    kwargs.setdefault("unique", True)
    return models.CharField(verbose_name, max_length=CODE_LENGTH, **kwargs)
