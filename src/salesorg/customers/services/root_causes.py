"""Writes of downgrade root causes (S19): an evaluation run opens one for every downgrade;
it always belongs to the customer's current owner (it follows an owner change) and is
reviewed by that owner's manager; the owner completes it with a tracked action plan
(action items with owners and due dates, `work.actions`) and the manager reviews it; the
next evaluation records whether the rating recovered.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from salesorg.core.problems import Problems
from salesorg.customers.models import (
    CauseCategory,
    Customer,
    CustomerEvaluation,
    Rating,
    RootCause,
    RootCauseStatus,
)
from salesorg.customers.permissions import (
    can_complete_root_cause,
    can_plan_root_cause,
    can_review_root_cause,
)
from salesorg.org.models import Membership, Person
from salesorg.targets.choices import ActionOrigin, ActionStatus
from salesorg.targets.models import ActionItem
from salesorg.work.actions import action_item_create, action_items_for_source


def _reviewers_of(owner_ids: set[int], today: date) -> dict[int, int | None]:
    """Who reviews an owner's root causes: their manager, else their current team's manager.
    Two queries whatever the number of owners."""
    reviewers: dict[int, int | None] = dict(
        Person.objects.filter(pk__in=owner_ids).values_list("pk", "manager_id")
    )
    missing = {pk for pk, manager in reviewers.items() if manager is None}
    if missing:
        rows = (
            Membership.objects.current(today)
            .filter(person_id__in=missing, team__manager__isnull=False)
            .exclude(team__manager_id__in=missing)
            .values_list("person_id", "team__manager_id")
        )
        for person_id, manager_id in rows:
            reviewers[person_id] = manager_id
    return reviewers


def root_causes_open(evaluations: list[CustomerEvaluation], owners: dict[int, int]) -> int:
    """Open one root-cause record per downgrade that has none yet, owned by the customer's
    current owner (`owners`: customer id → owner id) and reviewed by their manager (bulk,
    three queries)."""
    downgrades = [e for e in evaluations if e.is_downgrade]
    if not downgrades:
        return 0
    existing = set(
        RootCause.objects.filter(evaluation__in=[e.pk for e in downgrades]).values_list(
            "evaluation_id", flat=True
        )
    )
    new = [e for e in downgrades if e.pk not in existing]
    if not new:
        return 0
    reviewers = _reviewers_of({owners[e.customer_id] for e in new}, timezone.localdate())
    RootCause.objects.bulk_create(
        [
            RootCause(
                evaluation=e,
                customer_id=e.customer_id,
                owner_id=owners[e.customer_id],
                reviewer_id=reviewers.get(owners[e.customer_id]),
                from_rating=e.previous_rating,
                to_rating=e.rating,
            )
            for e in new
        ]
    )
    return len(new)


# --- the customer's current owner ---------------------------------------------------------------


@transaction.atomic
def root_cause_owner_follow(
    *, customer: Customer, new_owner: Person | None = None, today: date | None = None
) -> int:
    """Give the customer's unresolved root causes to its owner (`new_owner`, by default the
    customer's owner as stored), reviewed by that owner's manager; the open action items of
    each cause that its previous owner held move with it. Returns how many causes moved.

    Called when a customer's owner changes (the customer service, a handover); accepted
    root causes are history and keep the owner who completed them.
    """
    if new_owner is None:
        new_owner = Customer.objects.select_related("owner").get(pk=customer.pk).owner
    causes = list(
        RootCause.objects.select_for_update()
        .unresolved()
        .filter(customer_id=customer.pk)
        .exclude(owner_id=new_owner.pk)
    )
    if not causes:
        return 0
    reviewer_id = _reviewers_of({new_owner.pk}, today or timezone.localdate()).get(new_owner.pk)
    for cause in causes:
        for item in action_items_for_source(cause).filter(
            status=ActionStatus.OPEN, owner_id=cause.owner_id
        ):
            item.owner = new_owner
            item.save(update_fields=["owner"])
        cause.owner = new_owner
        if reviewer_id is not None and reviewer_id != new_owner.pk:
            cause.reviewer_id = reviewer_id
        cause.save(update_fields=["owner", "reviewer"])
    return len(causes)


def root_causes_owner_sync(*, customer_ids: Iterable[int] | None = None) -> int:
    """Unresolved root causes whose owner is no longer their customer's owner follow it
    (the evaluation run calls this, so a change made elsewhere is caught up). One query
    when nothing is stale."""
    stale = RootCause.objects.unresolved().exclude(owner_id=F("customer__owner_id"))
    if customer_ids is not None:
        stale = stale.filter(customer_id__in=list(customer_ids))
    moved = 0
    for customer in Customer.objects.filter(pk__in=stale.values("customer_id")).select_related(
        "owner"
    ):
        moved += root_cause_owner_follow(customer=customer, new_owner=customer.owner)
    return moved


# --- recovery at the next evaluation ------------------------------------------------------------


def root_causes_recovery_record(evaluations: list[CustomerEvaluation]) -> int:
    """Record, on each downgrade, whether the next evaluation of its customer recovered it:
    the rating back to the one before the downgrade or better. The next evaluation is the
    earliest one after the downgrade's: `evaluations` (one date) replace a later one already
    recorded. Two queries and one bulk update."""
    if not evaluations:
        return 0
    as_of = evaluations[0].as_of
    by_customer = {e.customer_id: e for e in evaluations}
    causes = RootCause.objects.filter(evaluation__as_of__lt=as_of).filter(
        Q(recovery_evaluation__isnull=True) | Q(recovery_evaluation__as_of__gte=as_of)
    )
    if len(by_customer) <= 1000:
        causes = causes.filter(customer_id__in=list(by_customer))
    changed = []
    for cause in causes.only("pk", "customer_id", "from_rating"):
        evaluation = by_customer.get(cause.customer_id)
        if evaluation is None:
            continue
        cause.recovery_evaluation_id = evaluation.pk
        cause.recovered = Rating.rank(evaluation.rating) > 0 and Rating.rank(
            evaluation.rating
        ) >= Rating.rank(cause.from_rating)
        changed.append(cause)
    RootCause.objects.bulk_update(changed, ["recovery_evaluation", "recovered"], batch_size=1000)
    return len(changed)


# --- the owner's and the reviewer's steps -------------------------------------------------------


class ReviewDecision:
    ACCEPT = "accept"
    RETURN = "return"
    CHOICES = (ACCEPT, RETURN)


@transaction.atomic
def root_cause_action_add(
    *,
    cause: RootCause,
    actor: User,
    title: str,
    owner: Person | None,
    due_date: date | None,
    detail: str = "",
    today: date | None = None,
) -> ActionItem:
    """Add an action item to a downgrade's action plan: a title, an owner (the cause's owner
    by default) and a due date not in the past. The cause's owner, its reviewer and their
    leaders may add them, until the cause is accepted."""
    if not can_plan_root_cause(actor, cause):
        raise PermissionDenied
    today = today or timezone.localdate()
    problems = Problems()
    if cause.status == RootCauseStatus.ACCEPTED:
        problems.add("status", _("This root cause has been accepted; its plan is closed."))
    if due_date is not None and due_date < today:
        problems.add("due_date", _("The due date cannot be in the past."))
    if not (title or "").strip():
        problems.add("title", _("This field is required."))
    if due_date is None:
        problems.add("due_date", _("This field is required."))
    problems.raise_if_any()
    assert due_date is not None  # checked above
    return action_item_create(
        title=title.strip()[:200],
        owner=owner or cause.owner,
        due_date=due_date,
        origin=ActionOrigin.CUSTOMER,
        source=cause,
        customer=cause.customer,
        detail=detail,
        actor=actor,
    )


@transaction.atomic
def root_cause_complete(
    *,
    cause: RootCause,
    actor: User,
    cause_category: str,
    explanation: str,
    action_plan: str = "",
    action_items: Iterable[dict] = (),
) -> RootCause:
    """The owner states the cause and submits it with its action plan for review: at least
    one action item, added before or given here as {title, owner, due_date} (all or none
    are kept); the free-text plan is optional context."""
    if not can_complete_root_cause(actor, cause):
        raise PermissionDenied
    problems = Problems()
    cause = RootCause.objects.select_for_update().get(pk=cause.pk)
    for number, item in enumerate(action_items, start=1):
        try:
            root_cause_action_add(
                cause=cause,
                actor=actor,
                title=item.get("title", ""),
                owner=item.get("owner"),
                due_date=item.get("due_date"),
            )
        except ValidationError as error:
            for message in error.messages:
                problems.add(
                    "action_items",
                    _("Action item %(number)s: %(message)s")
                    % {"number": number, "message": message},
                )
    if cause.status not in (RootCauseStatus.OPEN, RootCauseStatus.RETURNED):
        problems.add("status", _("This root cause has already been submitted."))
    if cause_category not in CauseCategory.values:
        problems.add("cause_category", _("Choose a cause category."))
    if not (explanation or "").strip():
        problems.add("explanation", _("Explain why the rating fell."))
    if "action_items" not in problems.errors and not (
        action_items_for_source(cause).exclude(status=ActionStatus.CANCELLED).exists()
    ):
        problems.add(
            "action_items",
            _("Add at least one action item, with an owner and a due date, to the plan."),
        )
    problems.raise_if_any()
    cause.cause_category = cause_category
    cause.explanation = explanation.strip()
    cause.action_plan = (action_plan or "").strip()
    cause.status = RootCauseStatus.SUBMITTED
    cause.submitted_at = timezone.now()
    cause.save()
    return cause


@transaction.atomic
def root_cause_review(
    *, cause: RootCause, actor: User, decision: str, comment: str = ""
) -> RootCause:
    """The manager accepts a submitted root cause, or returns it with a comment."""
    if not can_review_root_cause(actor, cause):
        raise PermissionDenied
    problems = Problems()
    cause = RootCause.objects.select_for_update().get(pk=cause.pk)
    if cause.status != RootCauseStatus.SUBMITTED:
        problems.add("status", _("Only a submitted root cause can be reviewed."))
    if decision not in ReviewDecision.CHOICES:
        problems.add("decision", _("Accept the root cause or return it."))
    if decision == ReviewDecision.RETURN and not (comment or "").strip():
        problems.add("comment", _("Say what to change when returning it."))
    problems.raise_if_any()
    cause.status = (
        RootCauseStatus.ACCEPTED if decision == ReviewDecision.ACCEPT else RootCauseStatus.RETURNED
    )
    cause.review_comment = (comment or "").strip()
    cause.reviewed_by = actor
    cause.reviewed_at = timezone.now()
    cause.save()
    return cause
