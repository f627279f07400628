"""Choices of the sales app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OrderStatus(models.TextChoices):
    """Only confirmed orders count in any indicator (KPI.md)."""

    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")
    AWAITING_CREDIT = "awaiting_credit", _("Awaiting credit approval")


class VisitKind(models.TextChoices):
    """A visit (拜访), a joint visit with a coach (联合拜访) or a service call (服务)."""

    VISIT = "visit", pgettext_lazy("customer visit", "Visit")
    JOINT = "joint", _("Joint visit")
    SERVICE = "service", _("Service call")
