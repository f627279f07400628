"""Home-page reminders of the customers app."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from salesorg.core.reminders import Reminder, reminder_provider
from salesorg.customers.choices import LifecycleStage
from salesorg.customers.models import Customer


@reminder_provider
def dormant_customers(*, user, person, today):
    """The person's own customers that have gone dormant: one count query."""
    count = Customer.objects.filter(owner=person, lifecycle_stage=LifecycleStage.DORMANT).count()
    if count:
        query = urlencode({"lifecycle": LifecycleStage.DORMANT})
        yield Reminder(
            kind="dormant_customers",
            text=ngettext(
                "%(count)d of your customers is dormant: visit it before it is lost.",
                "%(count)d of your customers are dormant: visit them before they are lost.",
                count,
            )
            % {"count": count},
            url=f"{reverse('customers:customers')}?{query}",
        )


# --- evaluation, credit control and development (S19, S17) --------------------------------------

MAX_LISTED = 10


@reminder_provider
def root_causes_to_complete(*, user, person, today):
    """Downgrades of the person's customers whose root cause they must complete: one query."""
    from salesorg.customers.models import RootCause, RootCauseStatus

    causes = (
        RootCause.objects.filter(
            owner=person, status__in=(RootCauseStatus.OPEN, RootCauseStatus.RETURNED)
        )
        .select_related("customer")
        .order_by("created_at", "pk")
    )
    for cause in causes[:MAX_LISTED]:
        template = (
            _("Returned: complete the root cause of %(customer)s (%(old)s → %(new)s).")
            if cause.status == RootCauseStatus.RETURNED
            else _("Complete the root cause of %(customer)s (%(old)s → %(new)s).")
        )
        yield Reminder(
            kind="root_cause_complete",
            text=template
            % {"customer": cause.customer.name, "old": cause.from_rating, "new": cause.to_rating},
            url=cause.get_absolute_url(),
            due=cause.created_at.date(),
        )


@reminder_provider
def root_causes_to_review(*, user, person, today):
    """Submitted root causes the person reviews as a manager: one query."""
    from salesorg.core.roles import Role, role_of
    from salesorg.customers.models import RootCause

    if role_of(user) not in (Role.MANAGER, Role.REGION_HEAD):
        return

    causes = (
        RootCause.objects.visible_to(user)
        .to_review_by(user)
        .select_related("customer", "owner")
        .order_by("submitted_at", "pk")
    )
    for cause in causes[:MAX_LISTED]:
        yield Reminder(
            kind="root_cause_review",
            text=_("Review the root cause of %(customer)s from %(owner)s.")
            % {"customer": cause.customer.name, "owner": cause.owner.name},
            url=cause.get_absolute_url(),
            due=cause.submitted_at.date() if cause.submitted_at else None,
        )


@reminder_provider
def decisions_waiting(*, user, person, today):
    """Orders awaiting credit approval and proposals awaiting a decision that the person
    decides (leaders, director, admin): two count queries."""
    from salesorg.core.roles import Role, role_of
    from salesorg.customers.models import (
        CreditApproval,
        CreditApprovalStatus,
        DevelopmentProposal,
        ProposalStatus,
    )

    if role_of(user) not in (Role.MANAGER, Role.REGION_HEAD, Role.DIRECTOR, Role.ADMIN):
        return
    orders = (
        CreditApproval.objects.visible_to(user)
        .filter(status=CreditApprovalStatus.PENDING)
        .exclude(order__rep=person)
        .count()
    )
    if orders:
        yield Reminder(
            kind="credit_approval",
            text=ngettext(
                "%(count)d order awaits your credit approval.",
                "%(count)d orders await your credit approval.",
                orders,
            )
            % {"count": orders},
            url=reverse("customers:credit_approvals"),
        )
    proposals = (
        DevelopmentProposal.objects.visible_to(user)
        .filter(status=ProposalStatus.SUBMITTED)
        .exclude(rep=person)
        .count()
    )
    if proposals:
        yield Reminder(
            kind="proposal_decision",
            text=ngettext(
                "%(count)d development proposal awaits your decision.",
                "%(count)d development proposals await your decision.",
                proposals,
            )
            % {"count": proposals},
            url=f"{reverse('customers:proposals')}?mine=decide",
        )
