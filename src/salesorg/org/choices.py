"""Choices of the organization app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """A person's role in the sales organization (people.csv `role`)."""

    REP = "rep", _("Sales rep")
    MANAGER = "manager", _("Team manager")
    REGION_HEAD = "region_head", _("Region head")
    DIRECTOR = "director", _("Sales director")
    FINANCE = "finance", _("Finance")
    TRAINER = "trainer", _("Trainer / HR")
    ADMIN = "admin", _("Administrator")
