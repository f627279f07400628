"""Choices of the targets app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OwnerType(models.TextChoices):
    """Whose target it is (targets.csv `owner_type`)."""

    PERSON = "person", _("Person")
    TEAM = "team", _("Team")
    REGION = "region", _("Region")
    COMPANY = "company", _("Company")


class Metric(models.TextChoices):
    """What a target measures (targets.csv `metric`)."""

    SALES = "sales", _("Sales amount")
    GROSS_MARGIN = "gross_margin", _("Gross margin")
    COLLECTIONS = "collections", _("Collections")
    NEW_CUSTOMERS = "new_customers", _("New customers")
    PROSPECTS_ADDED = "prospects_added", _("Prospects added")
    VISITS = "visits", _("Visits")
    EXPENSE_BUDGET = "expense_budget", _("Expense budget")


class ActionStatus(models.TextChoices):
    """Where an action item stands."""

    OPEN = "open", pgettext_lazy("action item status", "Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ActionOrigin(models.TextChoices):
    """What an action item came from."""

    PDCA = "pdca", _("PDCA problem")
    MEETING = "meeting", _("Sales meeting")
    COACHING = "coaching", _("Coaching")
    STAKEHOLDER = "stakeholder", _("Stakeholder change")
    CUSTOMER = "customer", _("Customer")
    FOLLOW_UP = "follow_up", pgettext_lazy("tracked task", "Follow-up")
    OTHER = "other", _("Other")


class Split(models.TextChoices):
    """How a whole is split into parts."""

    KEEP = "keep", _("Keep as is")
    EVEN = "even", _("Evenly")
    HISTORY = "history", _("By actuals of a complete period")
    HAND = "hand", _("By hand")


class HistoryBasis(models.TextChoices):
    """Which complete period of actuals a split by history or a proposal follows
    (`targets.history`); never a year still running."""

    LAST_YEAR = "last_year", _("The last complete year")
    LAST_12_MONTHS = "last_12_months", _("The last 12 complete months")
    REFERENCE_YEAR = "reference_year", _("A reference year")


class UpliftSource(models.TextChoices):
    """Where the uplift of a proposed ideal target over the realistic one comes from."""

    PLAN = "plan", _("Set in the sales plan")
    LAST_YEAR = "last_year", _("Last year's ideal ÷ realistic targets")
    DEFAULT = "default", _("Default")
