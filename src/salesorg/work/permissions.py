"""Who may change and hand out action items (one policy, built on core.roles)."""

from __future__ import annotations

from django.db.models import Model

from salesorg.core.roles import COMPANY_WIDE, SALES_FORCE, Role, has_left, role_of
from salesorg.core.scoping import scope_for
from salesorg.org.models import Person
from salesorg.targets.models import ActionItem


def can_change_action_item(user, item: ActionItem) -> bool:
    """The owner, whoever may see the owner's records as their leader, director and admin."""
    role = role_of(user)
    if role in COMPANY_WIDE:
        return True
    if role is None or role in (Role.FINANCE, Role.TRAINER):
        return False
    scope = scope_for(user)
    return item.owner_id == scope.person_id or (
        role in (Role.MANAGER, Role.REGION_HEAD) and item.owner_id in scope.person_ids
    )


def can_assign_action_item(user, owner: Person) -> bool:
    """May the user give `owner` an action item? Leaders for their people, anyone for self."""
    role = role_of(user)
    if role in COMPANY_WIDE:
        return True
    scope = scope_for(user)
    if owner.pk == scope.person_id:
        return role is not None
    return role in (Role.MANAGER, Role.REGION_HEAD) and owner.pk in scope.person_ids


def can_follow_up(user, record: Model | None = None) -> bool:
    """May the user set follow-ups on a record they see (a customer, visit or contact)?
    Anyone in the sales force still employed; the record's page has found it in scope."""
    return role_of(user) in SALES_FORCE and not has_left(user)
