"""Who may write what in targets: goals and plans, research, the targets of a unit, PDCA
cycles, the standards library and quarterly reviews (one policy, built on core.roles).

Rights follow the org (SPEC §2): director and admin plan the company; a region head
decomposes their region (its teams and their members); a team manager their team and its
current members. Reps, finance and trainers read only. A PDCA plan is written by whoever
leads its unit (the person themself too, for a person's plan); a quarterly review by its
rep and signed off by a leader of the rep.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from salesorg.core.roles import COMPANY_WIDE, UNIT_LEADERS, Role, person_of, role_of
from salesorg.core.scoping import scope_for
from salesorg.org.models import Membership, Person
from salesorg.targets.choices import OwnerType
from salesorg.targets.models import (
    PdcaPlan,
    PdcaStatus,
    QuarterlyReview,
    ResearchKind,
    ResearchNote,
    ReviewStatus,
    RevisionStatus,
    SalesPlan,
    StandardVersion,
    TargetRevision,
)
from salesorg.targets.units import COMPANY, PlanOrg, Unit

RESEARCH_WRITERS = COMPANY_WIDE | UNIT_LEADERS


# --- goals, plans and the targets of a unit ---------------------------------------------------


def can_plan(user) -> bool:
    """May the user write goals and plans and publish a plan (director, admin)?"""
    return role_of(user) in COMPANY_WIDE


def can_change_plan_targets(user, plan: SalesPlan) -> bool:
    """A published plan is locked for everyone: its targets change only by a revision."""
    return not plan.is_published


def can_decide_revision(user, revision: TargetRevision) -> bool:
    """May the user approve or return a pending revision? The next level above its unit: a
    team's by the head of the team's region, a region's or the company's by the director;
    admin any; never the proposer."""
    if revision.status != RevisionStatus.PENDING:
        return False
    role = role_of(user)
    person = person_of(user)
    if role is None or (person is not None and person.pk == revision.proposed_by_id):
        return False
    if role in COMPANY_WIDE:
        return True
    if role != Role.REGION_HEAD or revision.owner_type != OwnerType.TEAM:
        return False
    return revision.team is not None and revision.team.region_id in scope_for(user).led_region_ids


def can_write_research(user) -> bool:
    """May the user record research notes at all (director, admin, region heads, managers;
    reps competitor notes on their own customers, see `can_record_research`)?"""
    return role_of(user) in RESEARCH_WRITERS or role_of(user) == Role.REP


def can_record_research(user, note: ResearchNote) -> bool:
    """May the user record this note? Leaders any kind; a rep only competitor notes (which
    the service links to customers the rep sees)."""
    role = role_of(user)
    if role in RESEARCH_WRITERS:
        return True
    return role == Role.REP and note.kind == ResearchKind.COMPETITOR


def can_change_research(user, note: ResearchNote) -> bool:
    """Director and admin change any research note; leaders their own; a rep their own
    competitor notes."""
    role = role_of(user)
    if role in COMPANY_WIDE:
        return True
    person = person_of(user)
    if person is None or note.author_id != person.pk:
        return False
    return role in UNIT_LEADERS or (role == Role.REP and note.kind == ResearchKind.COMPETITOR)


def research_needs_customers(user) -> bool:
    """A rep's competitor note must name the customers it is about (a leader's need not)."""
    return role_of(user) not in RESEARCH_WRITERS


def can_write_unit(user, unit: Unit) -> bool:
    """May the user write the targets of this unit?

    Director and admin: every unit. A region head: their regions, the teams in them and
    those teams' current members. A team manager: their teams and their current members.
    """
    role = role_of(user)
    if role in COMPANY_WIDE:
        return True
    if role not in UNIT_LEADERS or unit == COMPANY:
        return False
    scope = scope_for(user)
    if unit.owner_type == OwnerType.REGION:
        return unit.id in scope.led_region_ids
    if unit.owner_type == OwnerType.TEAM:
        return unit.id in scope.led_team_ids
    return unit.id in scope.person_ids


def can_decompose(user, unit: Unit, org: PlanOrg) -> bool:
    """May the user decompose the unit (write it and all its children)?"""
    return can_write_unit(user, unit) and all(
        can_write_unit(user, child) for child in org.children.get(unit, [])
    )


# --- PDCA and the standards library -----------------------------------------------------------


def can_write_pdca_unit(user, *, unit_type: str, unit) -> bool:
    """May the user write PDCA plans for this unit: director and admin any; otherwise whoever
    leads it (the person themself and their leaders for a person's plan)?"""
    role = role_of(user)
    if role in COMPANY_WIDE:
        return True
    if role is None or role in (Role.FINANCE, Role.TRAINER) or unit is None:
        return False
    scope = scope_for(user)
    if unit_type == OwnerType.PERSON:
        return unit.pk == scope.person_id or (role in UNIT_LEADERS and unit.pk in scope.person_ids)
    if unit_type == OwnerType.TEAM:
        return unit.pk in scope.led_team_ids
    if unit_type == OwnerType.REGION:
        return unit.pk in scope.led_region_ids
    return False


def can_write_plan(user, plan: PdcaPlan) -> bool:
    """May the user change this PDCA plan, its measures, checks and problems?"""
    if plan.status == PdcaStatus.CLOSED:
        return False
    return can_write_pdca_unit(user, unit_type=plan.unit_type, unit=plan.unit)


def can_write_library(user) -> bool:
    """Director and admin write and approve standards."""
    return role_of(user) in COMPANY_WIDE


def can_propose_standard(user, plan: PdcaPlan) -> bool:
    """Library writers and the plan's leaders may promote a closed cycle's lesson."""
    if plan.status != PdcaStatus.CLOSED or not plan.lesson.strip():
        return False
    if can_write_library(user):
        return True
    return role_of(user) in UNIT_LEADERS and can_write_pdca_unit(
        user, unit_type=plan.unit_type, unit=plan.unit
    )


def can_edit_standard_draft(user, version: StandardVersion) -> bool:
    """A draft version is edited by its author, director and admin; an approved one by nobody."""
    if version.is_approved:
        return False
    if can_write_library(user):
        return True
    person = person_of(user)
    return person is not None and version.proposed_by_id == person.pk


# --- quarterly reviews ------------------------------------------------------------------------


def review_leader_ids(rep: Person, *, today: date | None = None) -> set[int]:
    """People who may sign off a rep's review: superior, team manager, region head (3 queries)."""
    today = today or timezone.localdate()
    leaders = {rep.manager_id} if rep.manager_id else set()
    for manager_id, head_id in (
        Membership.objects.current(today)
        .filter(person=rep)
        .values_list("team__manager_id", "team__region__head_id")
    ):
        leaders.update(pk for pk in (manager_id, head_id) if pk)
    leaders.discard(rep.pk)
    return leaders


def can_edit_review(user, review: QuarterlyReview) -> bool:
    """Only the rep edits and files their own review, while it is a draft or returned."""
    person = person_of(user)
    return (
        role_of(user) is not None
        and person is not None
        and person.pk == review.rep_id
        and review.is_editable()
    )


def can_sign_off_review(user, review: QuarterlyReview) -> bool:
    """A leader of the rep (or director/admin) signs off or returns a filed review."""
    if review.status != ReviewStatus.FILED:
        return False
    role = role_of(user)
    if role in COMPANY_WIDE:
        return True
    person = person_of(user)
    if role is None or person is None:
        return False
    return person.pk in review_leader_ids(review.rep)
