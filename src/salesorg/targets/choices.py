"""Choices of the targets app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
