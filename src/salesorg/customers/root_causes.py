"""Root causes of downgrades (S19: a falling evaluation always has a cause): the owner
completes the record, the manager reviews it (accepts it or returns it with a comment)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from salesorg.core.problems import Problems
from salesorg.core.roles import Role, role_of
from salesorg.core.scoping import scope_for
from salesorg.customers.models import CauseCategory, RootCause, RootCauseStatus

ALL_ROLES = frozenset({Role.DIRECTOR, Role.ADMIN})
LEADERS = frozenset({Role.MANAGER, Role.REGION_HEAD})


class ReviewDecision:
    ACCEPT = "accept"
    RETURN = "return"
    CHOICES = (ACCEPT, RETURN)


def can_complete(user, cause: RootCause) -> bool:
    """The owner completes their root cause (director and admin may stand in)."""
    role = role_of(user)
    return role in ALL_ROLES or (role is not None and cause.owner_id == scope_for(user).person_id)


def can_review(user, cause: RootCause) -> bool:
    """The named reviewer, a leader who sees the owner's records (not the owner), director,
    admin."""
    role = role_of(user)
    if role in ALL_ROLES:
        return True
    scope = scope_for(user)
    if scope.person_id is None or cause.owner_id == scope.person_id:
        return False
    if cause.reviewer_id == scope.person_id:
        return True
    return role in LEADERS and cause.owner_id in scope.person_ids


@transaction.atomic
def root_cause_complete(
    *,
    cause: RootCause,
    actor,
    cause_category: str,
    explanation: str,
    action_plan: str,
) -> RootCause:
    """The owner states the cause and the action plan and submits them for review."""
    if not can_complete(actor, cause):
        raise PermissionDenied
    problems = Problems()
    cause = RootCause.objects.select_for_update().get(pk=cause.pk)
    if cause.status not in (RootCauseStatus.OPEN, RootCauseStatus.RETURNED):
        problems.add("status", _("This root cause has already been submitted."))
    if cause_category not in CauseCategory.values:
        problems.add("cause_category", _("Choose a cause category."))
    if not (explanation or "").strip():
        problems.add("explanation", _("Explain why the rating fell."))
    if not (action_plan or "").strip():
        problems.add("action_plan", _("Say what will be done about it."))
    problems.raise_if_any()
    cause.cause_category = cause_category
    cause.explanation = explanation.strip()
    cause.action_plan = action_plan.strip()
    cause.status = RootCauseStatus.SUBMITTED
    cause.submitted_at = timezone.now()
    cause.save()
    return cause


@transaction.atomic
def root_cause_review(*, cause: RootCause, actor, decision: str, comment: str = "") -> RootCause:
    """The manager accepts a submitted root cause, or returns it with a comment."""
    if not can_review(actor, cause):
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


def root_causes_list(*, user, status: str = "", mine: str = "") -> QuerySet[RootCause]:
    """Root causes in scope, unresolved first: `mine` = "complete" (the user's to complete)
    or "review" (submitted ones the user reviews)."""
    causes = RootCause.objects.visible_to(user).select_related(
        "customer", "owner", "reviewer", "evaluation"
    )
    if mine == "complete":
        causes = causes.filter(
            owner_id=scope_for(user).person_id,
            status__in=(RootCauseStatus.OPEN, RootCauseStatus.RETURNED),
        )
    elif mine == "review":
        causes = causes.to_review_by(user)
    if status == "unresolved":
        causes = causes.unresolved()
    elif status in RootCauseStatus.values:
        causes = causes.filter(status=status)
    return causes.order_by("-created_at", "-pk")
