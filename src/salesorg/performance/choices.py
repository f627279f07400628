"""Choices of the performance app."""

from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.functional import Promise
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


@dataclass(frozen=True)
class Column:
    """An indicator column: its name in exports, how it renders, its screen label."""

    name: str
    kind: str
    label: Promise


COLUMNS: tuple[Column, ...] = (
    Column("sales", ValueKind.AMOUNT, pgettext_lazy("money sold", "Sales")),
    Column("gross_margin", ValueKind.AMOUNT, _("Gross margin")),
    Column("sales_target", ValueKind.AMOUNT, _("Sales target")),
    Column("sales_target_ideal", ValueKind.AMOUNT, _("Sales target (ideal)")),
    Column("sales_achievement", ValueKind.PERCENT, _("Sales achievement")),
    Column("sales_achievement_ideal", ValueKind.PERCENT, _("Sales achievement (ideal)")),
    Column("gm_target", ValueKind.AMOUNT, _("Gross margin target")),
    Column("gm_target_ideal", ValueKind.AMOUNT, _("Gross margin target (ideal)")),
    Column("gm_achievement", ValueKind.PERCENT, _("Gross margin achievement")),
    Column("gm_achievement_ideal", ValueKind.PERCENT, _("Gross margin achievement (ideal)")),
    Column("ar_opening", ValueKind.AMOUNT, _("Opening receivables")),
    Column("invoiced", ValueKind.AMOUNT, pgettext_lazy("money billed", "Invoiced")),
    Column("collected", ValueKind.AMOUNT, pgettext_lazy("money received", "Collected")),
    Column("collection_rate", ValueKind.PERCENT, _("Collection rate")),
    Column("visits", ValueKind.COUNT, _("Visits")),
    Column("service_calls", ValueKind.COUNT, _("Service calls")),
    Column("workdays", ValueKind.COUNT, _("Workdays")),
    Column("visits_per_workday", ValueKind.RATIO, _("Visits per workday")),
    Column("customers", ValueKind.COUNT, pgettext_lazy("number of customers", "Customers")),
    Column("new_customers", ValueKind.COUNT, _("New customers")),
    Column("prospects_added", ValueKind.COUNT, _("Prospects added")),
    Column("industries", ValueKind.COUNT, _("Industries")),
    Column("focus_share", ValueKind.PERCENT, _("Focus category share")),
    Column("expenses", ValueKind.AMOUNT, _("Expenses")),
    Column("expense_budget", ValueKind.AMOUNT, _("Expense budget")),
    Column("expense_ratio", ValueKind.PERCENT, _("Expense ratio")),
)
COLUMN_BY_NAME = {column.name: column for column in COLUMNS}
