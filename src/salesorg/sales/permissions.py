"""Who may write sales and customer records (reads are scoped by `visible_to` alone).

The rule, in one place:

- director and admin may write every record;
- finance records payments and edits invoices (receivables are theirs, and only theirs
  besides director and admin);
- team managers and region heads may write orders, order lines, visits, expenses,
  customers and contacts of the people in their scope;
- a rep logs and edits their own visits and expenses, and the contacts (stakeholders)
  of their own customers;
- the catalogue, visit purposes and targets are written by director and admin only
  (visit purposes are standards of the sales process: their managers are the standards
  library's, `targets.permissions.can_write_library`);
- the compliance report of checklists is read by the sales force, each in their scope;
- trainers write no sales records.
"""

from __future__ import annotations

from django.db.models import Model

from salesorg.core.roles import COMPANY_WIDE, SALES_FORCE, UNIT_LEADERS, Role, role_of
from salesorg.core.scoping import scope_for
from salesorg.customers.models import Contact, Customer
from salesorg.sales.models import Expense, Invoice, Order, OrderLine, Payment, Visit

RECEIVABLES = frozenset({Invoice, Payment})
TEAM_RECORDS = frozenset({Order, OrderLine, Visit, Expense, Customer, Contact})
OWN_RECORDS = frozenset({Visit, Expense, Contact})


def record_person_id(record: Model) -> int | None:
    """The person a record belongs to (its rep or owner), or None when not (yet) known."""
    if isinstance(record, Visit | Expense | Order | Invoice):
        return record.rep_id
    if isinstance(record, Customer):
        return record.owner_id
    if isinstance(record, OrderLine):
        return Order.objects.filter(pk=record.order_id).values_list("rep_id", flat=True).first()
    if isinstance(record, Payment):
        invoices = Invoice.objects.filter(pk=record.invoice_id)
        return invoices.values_list("rep_id", flat=True).first()
    if isinstance(record, Contact):
        customers = Customer.objects.filter(pk=record.customer_id)
        return customers.values_list("owner_id", flat=True).first()
    return None


def can_create(user, model: type[Model]) -> bool:
    """May the user write records of `model` at all (for some record in their scope)?"""
    role = role_of(user)
    if role in COMPANY_WIDE:
        return True
    if model in RECEIVABLES:
        return role == Role.FINANCE
    if role in UNIT_LEADERS:
        return model in TEAM_RECORDS
    if role == Role.REP:
        return model in OWN_RECORDS
    return False


def can_write(user, record: Model) -> bool:
    """May the user create or change this record (whose lookup is already scoped)?"""
    model = type(record)
    if not can_create(user, model):
        return False
    role = role_of(user)
    if role in COMPANY_WIDE or model in RECEIVABLES:
        return True
    person_id = record_person_id(record)
    if person_id is None:  # an unknown or missing reference: the service says which
        return True
    scope = scope_for(user)
    if role in UNIT_LEADERS:
        return person_id in scope.person_ids
    return person_id == scope.person_id


def can_manage_purposes(user) -> bool:
    """May the user write visit purposes and their checklists (director and admin, who also
    manage the standards library)?"""
    return role_of(user) in COMPANY_WIDE


def can_write_purpose(user, purpose: Model) -> bool:
    """May the user edit this visit purpose (found in their scope): its managers only?"""
    return can_manage_purposes(user)


def can_read_compliance(user) -> bool:
    """May the user read the checklist compliance report (the sales force, in their scope)?"""
    return role_of(user) in SALES_FORCE


def can_attach_photo(user, record: Model) -> bool:
    """May the user add photos to this visit or customer (found in their scope) and delete
    its photos? Whoever may edit it, and a rep also for their own customers (a shelf photo)."""
    if can_write(user, record):
        return True
    if isinstance(record, Customer) and role_of(user) == Role.REP:
        return record.owner_id is not None and record.owner_id == scope_for(user).person_id
    return False
