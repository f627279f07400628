"""Choices of the customers app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactRole(models.TextChoices):
    """A contact's role in the customer's buying decision (contacts.csv `role`)."""

    DECISION_MAKER = "decision_maker", _("Decision maker")
    INFLUENCER = "influencer", _("Influencer")
    USER = "user", _("User")
    GATEKEEPER = "gatekeeper", _("Gatekeeper")
    OTHER = "other", _("Other")
