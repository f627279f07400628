"""Choices of the performance app."""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Level(models.TextChoices):
    """Which rows of the indicator table to produce (`--level`)."""

    PERSON = "person", _("Person")
    TEAM = "team", _("Team")
    REGION = "region", _("Region")
    COMPANY = "company", _("Company")
    ALL = "all", _("All levels")


class ValueKind(models.TextChoices):
    """How an indicator column is rendered: amount, count, percentage or plain ratio."""

    AMOUNT = "amount", pgettext_lazy("money", "Amount")
    COUNT = "count", _("Count")
    PERCENT = "percent", _("Percentage")
    RATIO = "ratio", _("Ratio")


class Facts(StrEnum):
    """The fact families the indicator table is computed from (a caller may ask for some)."""

    SALES = "sales"
    RECEIVABLES = "receivables"
    VISITS = "visits"
    CUSTOMERS = "customers"
    EXPENSES = "expenses"
