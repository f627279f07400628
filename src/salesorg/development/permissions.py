"""Who may change what in the development app: every write rule of training, culture,
coaching, joint visits, targeted training and personnel reviews, built on core.roles.

Reads are scoped by `visible_to`; these rules decide the writes on top of what a user sees.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from salesorg.core.roles import COMPANY_WIDE, LEADERS, UNIT_LEADERS, Role, person_of, role_of
from salesorg.core.scoping import scope_for
from salesorg.development.models import (
    Assignment,
    CoachingSession,
    JointVisitReview,
    Material,
    PersonnelReview,
    TrainingProposal,
)
from salesorg.org.models import Person

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from salesorg.sales.models import Visit

# Trainers (HR), the director and admins write the training library and targeted rules.
LIBRARY_WRITERS = COMPANY_WIDE | {Role.TRAINER}
RULE_WRITERS = LIBRARY_WRITERS
# Who coaches people and files personnel reviews about them (admins do not).
COACHES = frozenset({Role.MANAGER, Role.REGION_HEAD, Role.DIRECTOR})
REVIEW_FILERS = COACHES
# Who praises people and has targeted-training rules evaluated for them.
PRAISERS = LEADERS
EVALUATORS = LEADERS


# --- training -----------------------------------------------------------------------------


def can_edit_library(user: User) -> bool:
    """May the user create and change training materials and quizzes?"""
    return role_of(user) in LIBRARY_WRITERS


def can_edit_material(user: User, material: Material) -> bool:
    """Library writers may change every material they see."""
    return can_edit_library(user)


def can_assign_training(user: User, person: Person | None = None) -> bool:
    """May the user assign training (to `person`, when given)?

    Library writers assign anything to anyone; team managers and region heads assign to
    the people they lead (never to themselves).
    """
    role = role_of(user)
    if role in LIBRARY_WRITERS:
        return True
    if role not in UNIT_LEADERS:
        return False
    if person is None:
        return True
    scope = scope_for(user)
    return person.pk != scope.person_id and person.pk in scope.person_ids


def can_complete_assignment(user: User, assignment: Assignment) -> bool:
    """Only the assignee completes an assignment (reads it or takes its quiz)."""
    scope = scope_for(user)
    return scope.person_id is not None and assignment.person_id == scope.person_id


# --- culture ------------------------------------------------------------------------------


def can_edit_culture(user: User) -> bool:
    """May the user change the vision and values?"""
    return role_of(user) in COMPANY_WIDE


def can_praise(user: User, person: Person | None = None) -> bool:
    """May the user write a recognition post (about `person`, when given)?"""
    role = role_of(user)
    if role not in PRAISERS:
        return False
    if person is None or role in COMPANY_WIDE:
        return True
    scope = scope_for(user)
    return person.pk != scope.person_id and person.pk in scope.person_ids


# --- coaching and joint visits ------------------------------------------------------------


def _leads(user: User, person_id: int, roles: frozenset) -> bool:
    """Is the user, in one of `roles`, someone other than the person who sees them?"""
    actor = person_of(user)
    if actor is None or actor.pk == person_id or role_of(user) not in roles:
        return False
    return Person.objects.visible_to(user).filter(pk=person_id).exists()


def can_coach(user: User, person: Person) -> bool:
    """The person's manager, or a region head or director above them (never oneself)."""
    return _leads(user, person.pk, COACHES)


def can_agree_plan(user: User, session: CoachingSession) -> bool:
    """Only the coached person agrees to their session's improvement plan."""
    actor = person_of(user)
    return actor is not None and actor.pk == session.person_id


def can_change_plan(user: User, session: CoachingSession) -> bool:
    """Whoever may coach the person changes the plan (the coached person may not)."""
    return can_coach(user, session.person)


def can_comment_plan(user: User, session: CoachingSession) -> bool:
    """The coached person and whoever may coach them discuss the plan."""
    return can_agree_plan(user, session) or can_change_plan(user, session)


def can_plan_review_points(user: User, review: JointVisitReview) -> bool:
    """The review's coach (or whoever may coach the rep) makes its points action items."""
    return can_review(user, review.visit) or can_coach(user, review.visit.rep)


def can_review(user: User, visit: Visit) -> bool:
    """The visit's coach reviews it (the director and admins may too)."""
    actor = person_of(user)
    if actor is None:
        return False
    return visit.coach_id == actor.pk or role_of(user) in COMPANY_WIDE


# --- targeted training --------------------------------------------------------------------


def can_evaluate_rules(user: User) -> bool:
    """May the user run the targeted-training rules over the people they lead?"""
    return role_of(user) in EVALUATORS


def can_edit_rules(user: User) -> bool:
    """May the user create and change targeted-training rules?"""
    return role_of(user) in RULE_WRITERS


def can_decide(user: User, proposal: TrainingProposal) -> bool:
    """The person's leaders (not the person themselves) decide on a proposal."""
    return _leads(user, proposal.person_id, EVALUATORS)


# --- personnel reviews --------------------------------------------------------------------


def can_file_reviews(user: User) -> bool:
    """May the user file personnel reviews at all (about the people they lead)?"""
    return role_of(user) in REVIEW_FILERS


def can_file_review(user: User, person: Person) -> bool:
    """The person's leaders (in their scope, not themselves) file reviews about them."""
    return _leads(user, person.pk, REVIEW_FILERS)


def can_decide_review(user: User, review: PersonnelReview) -> bool:
    """The review's approver decides; with no approver, the director does."""
    actor = person_of(user)
    if actor is None or actor.pk == review.filed_by_id:
        return False
    if review.approver_id is not None:
        return actor.pk == review.approver_id
    return role_of(user) == Role.DIRECTOR


# --- handovers ----------------------------------------------------------------------------


def can_hand_over(user: User, person: Person) -> bool:
    """The leaver's leaders (their manager, region head, the director or an admin) hand
    their records over; never the leaver themself."""
    return _leads(user, person.pk, LEADERS)


def can_check_leavers(user: User) -> bool:
    """May the user see the daily check of records still held by leavers?"""
    return role_of(user) in LEADERS
