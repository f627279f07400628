"""Home-page reminders of the customers app."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from salesorg.core.notifications import notification_provider, notify_reminder_kinds
from salesorg.core.reminders import Reminder, reminder_provider
from salesorg.core.roles import LEADERS, UNIT_LEADERS, role_of
from salesorg.customers.choices import LifecycleStage
from salesorg.customers.models import RootCauseStatus
from salesorg.customers.selectors.credit import (
    credit_approvals_waiting_count,
    root_causes_awaiting_review,
    root_causes_of_owner_to_complete,
)
from salesorg.customers.selectors.credit import (
    root_causes_not_recovered as root_causes_not_recovered_list,
)
from salesorg.customers.selectors.customers import dormant_customer_count
from salesorg.customers.selectors.pipeline import proposals_waiting_count
from salesorg.work.selectors import follow_ups_due


@reminder_provider
def dormant_customers(*, user, person, today):
    """The person's own customers that have gone dormant: one count query."""
    count = dormant_customer_count(user=user, person=person)
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
    for cause in root_causes_of_owner_to_complete(user=user, person=person)[:MAX_LISTED]:
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
    if role_of(user) not in UNIT_LEADERS:
        return
    for cause in root_causes_awaiting_review(user=user)[:MAX_LISTED]:
        yield Reminder(
            kind="root_cause_review",
            text=_("Review the root cause of %(customer)s from %(owner)s.")
            % {"customer": cause.customer.name, "owner": cause.owner.name},
            url=cause.get_absolute_url(),
            due=cause.submitted_at.date() if cause.submitted_at else None,
        )


@reminder_provider
def root_causes_not_recovered(*, user, person, today):
    """Downgrades that did not recover at the next evaluation (its last 30 days), for their
    owner and reviewer: one query."""
    for cause in root_causes_not_recovered_list(user=user, person=person, today=today)[:MAX_LISTED]:
        evaluation = cause.recovery_evaluation
        yield Reminder(
            kind="root_cause_not_recovered",
            text=_(
                "Not recovered: %(customer)s is rated %(rating)s at the evaluation of %(date)s "
                "(%(old)s before the downgrade). Review its action plan."
            )
            % {
                "customer": cause.customer.name,
                "rating": evaluation.get_rating_display(),
                "date": evaluation.as_of.isoformat(),
                "old": cause.from_rating,
            },
            url=cause.get_absolute_url(),
            due=evaluation.as_of,
        )


@reminder_provider
def decisions_waiting(*, user, person, today):
    """Orders awaiting credit approval and proposals awaiting a decision that the person
    decides (leaders, director, admin): two count queries."""
    if role_of(user) not in LEADERS:
        return
    orders = credit_approvals_waiting_count(user=user, person=person)
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
    proposals = proposals_waiting_count(user=user, person=person)
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


# --- notifications (core.notifications) ---------------------------------------------------------


@notification_provider
def follow_ups_due_to_notify(*, user, person, today):
    """The person's own follow-ups that are overdue, due today or whose reminder day has come
    (the home page shows them in a card of their own): one query."""
    due = follow_ups_due(user=user, person=person, today=today)
    for item in [*due.overdue, *due.due_today, *due.reminded]:
        overdue = item.due_date < today
        yield Reminder(
            kind="follow_up_overdue" if overdue else "follow_up",
            text=_("Overdue follow-up: %(title)s") % {"title": item.display_title}
            if overdue
            else _("Follow-up due %(date)s: %(title)s")
            % {"title": item.display_title, "date": item.due_date.isoformat()},
            url=item.get_absolute_url(),
            due=item.due_date,
            overdue=overdue,
        )


notify_reminder_kinds("follow_ups", reminder_kinds=["follow_up", "follow_up_overdue"])
notify_reminder_kinds("stakeholders", topics=["stakeholder"])
notify_reminder_kinds(
    "root_causes",
    reminder_kinds=["root_cause_complete", "root_cause_review", "root_cause_not_recovered"],
)
notify_reminder_kinds("approvals", reminder_kinds=["credit_approval", "proposal_decision"])
notify_reminder_kinds("other", reminder_kinds=["dormant_customers"])
