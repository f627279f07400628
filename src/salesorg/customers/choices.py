"""Choices of the customers app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ContactRole(models.TextChoices):
    """A contact's role in the customer's buying decision (contacts.csv `role`)."""

    DECISION_MAKER = "decision_maker", pgettext_lazy("stakeholder", "Decision maker")
    INFLUENCER = "influencer", _("Influencer")
    USER = "user", _("User")
    GATEKEEPER = "gatekeeper", _("Gatekeeper")
    OTHER = "other", _("Other")


class LifecycleStage(models.TextChoices):
    """Where a customer stands in its buying life, derived from its confirmed orders."""

    PROSPECT = "prospect", pgettext_lazy("customer lifecycle", "Prospect")
    NEW = "new", pgettext_lazy("customer lifecycle", "New")
    ESTABLISHED = "established", _("Established")
    DORMANT = "dormant", pgettext_lazy("customer lifecycle", "Dormant")
    LOST = "lost", pgettext_lazy("customer lifecycle", "Lost")


class Attitude(models.TextChoices):
    """A stakeholder's attitude towards the company (S18)."""

    CHAMPION = "champion", _("Champion")
    SUPPORTER = "supporter", pgettext_lazy("stakeholder", "Supporter")
    NEUTRAL = "neutral", _("Neutral")
    SKEPTIC = "skeptic", _("Skeptic")
    OPPONENT = "opponent", pgettext_lazy("stakeholder", "Opponent")


class ContactStatus(models.TextChoices):
    """Whether a contact is still in post at the customer."""

    ACTIVE = "active", _("Active")
    LEFT = "left", pgettext_lazy("contact who has gone", "Left")
    REPLACED = "replaced", _("Replaced")


class RewardKind(models.TextChoices):
    """What an old customer is given as a reward (S16)."""

    GIFT = "gift", _("Gift")
    DISCOUNT = "discount", _("Discount")
    REBATE = "rebate", _("Rebate")
    EVENT = "event", _("Event invitation")
    SERVICE = "service", _("Free service")
    OTHER = "other", _("Other")


class SurveySource(models.TextChoices):
    """Who gave a satisfaction score: the rep after a visit, or the customer by survey link."""

    REP = "rep", _("Rep")
    CUSTOMER = "customer", _("Customer")


class RewardStatus(models.TextChoices):
    """Where a reward stands in its approval (a filter of the rewards list)."""

    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
