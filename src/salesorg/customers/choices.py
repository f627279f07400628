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


class LifecycleStage(models.TextChoices):
    """Where a customer stands in its buying life, derived from its confirmed orders."""

    PROSPECT = "prospect", _("Prospect")
    NEW = "new", _("New")
    ESTABLISHED = "established", _("Established")
    DORMANT = "dormant", _("Dormant")
    LOST = "lost", _("Lost")


class Attitude(models.TextChoices):
    """A stakeholder's attitude towards the company (S18)."""

    CHAMPION = "champion", _("Champion")
    SUPPORTER = "supporter", _("Supporter")
    NEUTRAL = "neutral", _("Neutral")
    SKEPTIC = "skeptic", _("Skeptic")
    OPPONENT = "opponent", _("Opponent")


class ContactStatus(models.TextChoices):
    """Whether a contact is still in post at the customer."""

    ACTIVE = "active", _("Active")
    LEFT = "left", _("Left")
    REPLACED = "replaced", _("Replaced")


class RewardKind(models.TextChoices):
    """What an old customer is given as a reward (S16)."""

    GIFT = "gift", _("Gift")
    DISCOUNT = "discount", _("Discount")
    REBATE = "rebate", _("Rebate")
    EVENT = "event", _("Event invitation")
    SERVICE = "service", _("Free service")
    OTHER = "other", _("Other")
