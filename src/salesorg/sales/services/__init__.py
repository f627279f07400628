"""Writes of sales records: the only place sales rules change data.

Each service validates as INTERCHANGE.md's import rules do (negative amounts, payments
before their invoice or beyond it, joint visits without a coach, unknown references,
duplicate codes …) and raises ValidationError naming the field. A reference counts as
unknown when it does not exist or lies outside the writer's scope.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypeVar

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, Sum
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from salesorg.core.money import format_money
from salesorg.core.problems import Problems, not_negative_check, reference_check
from salesorg.core.record_codes import record_code_new
from salesorg.customers.models import Contact, Customer
from salesorg.org.models import Person
from salesorg.sales.choices import VisitKind
from salesorg.sales.models import (
    Category,
    ChecklistStep,
    Expense,
    Invoice,
    Order,
    OrderLine,
    Payment,
    Product,
    Visit,
    VisitPurpose,
    VisitStep,
)
from salesorg.sales.permissions import can_write
from salesorg.sales.rules import (
    order_checks_apply,
    order_effects_apply,
    order_snapshots,
    visit_survey_record,
)
from salesorg.sales.selectors import coach_choices
from salesorg.sales.services.check_ins import (
    CheckIn,
    check_in_apply,
    customer_location_from_check_in,
)
from salesorg.work.actions import follow_up_create

RecordT = TypeVar("RecordT", bound=Model)


@dataclass(frozen=True)
class LineData:
    """One order line as entered: line totals for amount and cost."""

    line_no: int
    product_id: int
    quantity: Decimal
    amount: Decimal
    cost: Decimal


@dataclass(frozen=True)
class StepCheck:
    """Whether a checklist step was done on a visit, and why not if skipped."""

    step_id: int
    done: bool
    skip_reason: str = ""


def _save(instance: RecordT, problems: Problems) -> RecordT:
    problems.raise_if_any()
    instance.full_clean()
    instance.save()
    return instance


@transaction.atomic
def category_save(*, instance: Category, actor: User) -> Category:
    """Validate and save a product category."""
    return _save(instance, Problems())


@transaction.atomic
def product_save(*, instance: Product, actor: User) -> Product:
    """Validate and save a product: known category, prices not negative."""
    problems = Problems()
    reference_check(
        problems, field="category", model=Category, pk=instance.category_id, actor=actor
    )
    not_negative_check(problems, field="list_price", value=instance.list_price)
    not_negative_check(problems, field="standard_cost", value=instance.standard_cost)
    return _save(instance, problems)


def _order_header_check(problems: Problems, order: Order, actor: User) -> None:
    reference_check(problems, field="customer", model=Customer, pk=order.customer_id, actor=actor)
    reference_check(problems, field="rep", model=Person, pk=order.rep_id, actor=actor)


def _lines_check(problems: Problems, lines: list[LineData]) -> None:
    """Refuse repeated line numbers, unknown products and negative figures on order lines."""
    seen: set[int] = set()
    for line in lines:
        if line.line_no in seen:
            problems.add("lines", _("Line %(no)s appears twice.") % {"no": line.line_no})
        seen.add(line.line_no)
        if line.product_id is None or not Product.objects.filter(pk=line.product_id).exists():
            problems.add("lines", _("Line %(no)s: unknown product.") % {"no": line.line_no})
        for name, value in (
            (_("quantity"), line.quantity),
            (pgettext("money", "amount"), line.amount),
            (_("cost"), line.cost),
        ):
            if value is not None and value < 0:
                problems.add(
                    "lines",
                    _("Line %(no)s: the %(field)s cannot be negative.")
                    % {"no": line.line_no, "field": name},
                )


def _lines_replace(order: Order, lines: list[LineData]) -> None:
    """Replace the order's lines with `lines` (already checked by `_lines_check`)."""
    order.lines.all().delete()
    for line in lines:
        row = OrderLine(
            order=order,
            line_no=line.line_no,
            product_id=line.product_id,
            quantity=line.quantity,
            amount=line.amount,
            cost=line.cost,
        )
        row.full_clean()
        row.save()


@transaction.atomic
def order_save(*, order: Order, actor: User, lines: Iterable[LineData] | None = None) -> Order:
    """Validate and save an order and, when given, replace its lines with `lines`."""
    problems = Problems()
    if not order.code:
        order.code = record_code_new(Order)
    _order_header_check(problems, order, actor)
    new_lines = list(lines) if lines is not None else None
    if new_lines is not None:
        _lines_check(problems, new_lines)
    snapshots = order_snapshots(order.pk)
    _save(order, problems)
    if new_lines is not None:
        _lines_replace(order, new_lines)
    order_checks_apply(order=order, actor=actor, snapshots=snapshots)
    order_effects_apply(order=order)
    return order


@transaction.atomic
def order_line_save(*, instance: OrderLine, actor: User) -> OrderLine:
    """Validate and save one order line: known order and product, nothing negative."""
    problems = Problems()
    reference_check(problems, field="order", model=Order, pk=instance.order_id, actor=actor)
    reference_check(problems, field="product", model=Product, pk=instance.product_id, actor=actor)
    for field in ("quantity", "amount", "cost"):
        not_negative_check(problems, field=field, value=getattr(instance, field))
    duplicate = OrderLine.objects.filter(order_id=instance.order_id, line_no=instance.line_no)
    if instance.pk:
        duplicate = duplicate.exclude(pk=instance.pk)
    if instance.order_id and duplicate.exists():
        problems.add(
            "line_no", _("This order already has a line %(no)s.") % {"no": instance.line_no}
        )
    snapshots = order_snapshots(instance.order_id)
    _save(instance, problems)
    order_checks_apply(order=instance.order, actor=actor, snapshots=snapshots)
    return instance


def _invoice_paid(invoice: Invoice, *, excluding: Payment | None = None) -> Decimal:
    """The total paid on an invoice (optionally not counting one payment)."""
    payments = invoice.payments.all()
    if excluding is not None and excluding.pk:
        payments = payments.exclude(pk=excluding.pk)
    return payments.aggregate(total=Sum("amount"))["total"] or Decimal("0")


@transaction.atomic
def invoice_save(*, instance: Invoice, actor: User) -> Invoice:
    """Validate and save an invoice; it must stay at or above its payments and before them."""
    problems = Problems()
    if not instance.code:
        instance.code = record_code_new(Invoice)
    reference_check(
        problems, field="customer", model=Customer, pk=instance.customer_id, actor=actor
    )
    reference_check(problems, field="rep", model=Person, pk=instance.rep_id, actor=actor)
    reference_check(
        problems, field="order", model=Order, pk=instance.order_id, actor=actor, required=False
    )
    not_negative_check(problems, field="amount", value=instance.amount)
    if instance.pk:
        Invoice.objects.select_for_update().filter(pk=instance.pk).first()
        paid = _invoice_paid(instance)
        if instance.amount is not None and paid > instance.amount:
            problems.add(
                "amount",
                _("Payments of %(paid)s have been received: the amount cannot be lower.")
                % {"paid": format_money(paid)},
            )
        first = instance.payments.order_by("payment_date").first()
        if first and instance.invoice_date and instance.invoice_date > first.payment_date:
            problems.add(
                "invoice_date",
                _("Payment %(code)s is dated %(date)s: the invoice cannot be dated after it.")
                % {"code": first.code, "date": first.payment_date.isoformat()},
            )
    return _save(instance, problems)


@transaction.atomic
def payment_save(*, instance: Payment, actor: User) -> Payment:
    """Validate and save a payment: not before its invoice, not beyond what is still open."""
    problems = Problems()
    if not instance.code:
        instance.code = record_code_new(Payment)
    reference_check(problems, field="invoice", model=Invoice, pk=instance.invoice_id, actor=actor)
    not_negative_check(problems, field="amount", value=instance.amount)
    problems.raise_if_any()
    # Lock the invoice so that two concurrent payments cannot both fit the open balance.
    invoice = Invoice.objects.select_for_update().get(pk=instance.invoice_id)
    if instance.payment_date and instance.payment_date < invoice.invoice_date:
        problems.add(
            "payment_date",
            _("A payment cannot be dated before its invoice (%(date)s).")
            % {"date": invoice.invoice_date.isoformat()},
        )
    if instance.amount is not None:
        total = _invoice_paid(invoice, excluding=instance) + instance.amount
        if total > invoice.amount:
            problems.add(
                "amount",
                _(
                    "Payments on invoice %(code)s would add up to %(total)s, "
                    "more than the invoice amount %(amount)s."
                )
                % {
                    "code": invoice.code,
                    "total": format_money(total),
                    "amount": format_money(invoice.amount),
                },
            )
    return _save(instance, problems)


@transaction.atomic
def payment_record(
    *, invoice: Invoice, payment_date: date, amount: Decimal, actor: User, code: str = ""
) -> Payment:
    """Record a payment received on an invoice (a collection, 回款)."""
    payment = Payment(invoice=invoice, payment_date=payment_date, amount=amount, code=code)
    return payment_save(instance=payment, actor=actor)


def _checklist_check(
    problems: Problems, purpose_id: int | None, checks: list[StepCheck]
) -> list[StepCheck]:
    """Refuse steps of another purpose and required steps skipped without a reason."""
    steps = (
        list(ChecklistStep.objects.filter(purpose_id=purpose_id, active=True)) if purpose_id else []
    )
    by_id = {check.step_id: check for check in checks}
    known = {step.id for step in steps}
    for step_id in by_id.keys() - known:
        problems.add("checklist", _("Step %(id)s is not a step of this purpose.") % {"id": step_id})
    result = []
    for step in steps:
        check = by_id.get(step.id, StepCheck(step_id=step.id, done=False))
        reason = check.skip_reason.strip()
        if step.required and not check.done and not reason:
            problems.add(
                "checklist",
                _("“%(step)s” is a required step: mark it done or say why it was skipped.")
                % {"step": step.label},
            )
        result.append(StepCheck(step_id=step.id, done=check.done, skip_reason=reason))
    return result


def _visit_steps_create(visit: Visit, checks: list[StepCheck]) -> None:
    """Record the visit's answers with each step as it is asked now (its purpose's version)."""
    if not checks or visit.purpose_type_id is None:
        return
    purpose = VisitPurpose.objects.get(pk=visit.purpose_type_id)
    steps = ChecklistStep.objects.in_bulk([check.step_id for check in checks])
    for check in checks:  # saved one by one so that the audit trail records them
        step = steps[check.step_id]
        VisitStep.objects.create(
            visit=visit,
            step=step,
            done=check.done,
            skip_reason=check.skip_reason,
            purpose_version=purpose.version,
            position=step.position,
            text=step.text,
            text_en=step.text_en,
            required=step.required,
        )


def _purpose_check(problems: Problems, visit: Visit, purpose_changed: bool) -> None:
    """Refuse an unknown purpose, and a deactivated one newly chosen; copy its name as the
    purpose's details when none are given."""
    if visit.purpose_type_id is None:
        return
    purpose = VisitPurpose.objects.filter(pk=visit.purpose_type_id).first()
    if purpose is None:
        problems.add(
            "purpose_type", _("Unknown visit purpose: %(pk)s.") % {"pk": visit.purpose_type_id}
        )
        return
    if purpose_changed and not purpose.active:
        problems.add("purpose_type", _("This visit purpose is no longer in use."))
    if not visit.purpose:
        visit.purpose = purpose.name[:200]


def visit_answers_kept(*, visit: Visit) -> bool:
    """Did the visit answer an earlier version of its purpose's checklist (answers that are
    kept as asked, not asked again)?"""
    if not visit.pk or visit.purpose_type_id is None:
        return False
    answered = visit.steps.values_list("purpose_version", flat=True).first()
    current = (
        VisitPurpose.objects.filter(pk=visit.purpose_type_id)
        .values_list("version", flat=True)
        .first()
    )
    return answered is not None and answered != current


def _coach_allowed(visit: Visit, coach_id: int, actor: User) -> bool:
    """May `actor` name this coach: one of the leaders the visit form offers them
    (`coach_choices`), the same rule for the page and the API? A coach kept unchanged on an
    existing visit stays allowed; one outside the choices reads as unknown (hidden is 404)."""
    if visit.pk is not None:
        stored = Visit.objects.filter(pk=visit.pk).values_list("coach_id", flat=True).first()
        if stored == coach_id:
            return True
    return coach_choices(user=actor).filter(pk=coach_id).exists()


@transaction.atomic
def visit_save(
    *,
    visit: Visit,
    actor: User,
    contacts: Iterable[Contact] | Iterable[int] | None = None,
    checklist: Iterable[StepCheck] | None = None,
    check_in: CheckIn | None = None,
) -> Visit:
    """Validate and save a visit with the contacts met, the checklist steps done and, with
    the rep's consent, its check-in (services/check_ins.py).

    `contacts` and `checklist` replace what the visit had; None keeps it (a new visit
    with a purpose type and no checklist has done none of its steps).
    """
    problems = Problems()
    checked_in = check_in_apply(problems, visit=visit, check_in=check_in)
    if not visit.code:
        visit.code = record_code_new(Visit)
    reference_check(problems, field="rep", model=Person, pk=visit.rep_id, actor=actor)
    reference_check(problems, field="customer", model=Customer, pk=visit.customer_id, actor=actor)
    if visit.kind == VisitKind.JOINT and visit.coach_id is None:
        problems.add("coach", _("A joint visit needs a coach."))
    if visit.coach_id is not None and not _coach_allowed(visit, visit.coach_id, actor):
        problems.add("coach", _("Unknown coach: %(pk)s.") % {"pk": visit.coach_id})
    purpose_changed = visit.pk is None or (
        Visit.objects.filter(pk=visit.pk).values_list("purpose_type_id", flat=True).first()
        != visit.purpose_type_id
    )
    _purpose_check(problems, visit, purpose_changed)
    contact_ids = None
    if contacts is not None:
        contact_ids = {c if isinstance(c, int) else c.pk for c in contacts}
        own = set(
            Contact.objects.filter(pk__in=contact_ids, customer_id=visit.customer_id).values_list(
                "pk", flat=True
            )
        )
        if contact_ids - own:
            problems.add("contacts", _("Contacts met must be contacts of the visited customer."))
        if isinstance(visit.visit_date, date):
            gone = Contact.objects.filter(pk__in=own).left_by(visit.visit_date).order_by("name")
            for contact in gone:
                problems.add(
                    "contacts",
                    _(
                        "%(name)s had left the customer on %(date)s and cannot be met on a "
                        "visit of %(visit_date)s."
                    )
                    % {
                        "name": contact.name,
                        "date": contact.left_on.isoformat() if contact.left_on else "—",
                        "visit_date": visit.visit_date.isoformat(),
                    },
                )
    if checklist is not None and not purpose_changed and visit_answers_kept(visit=visit):
        checklist = None  # answered on an earlier version of the checklist: kept as asked
    if checklist is not None or purpose_changed:
        checks = _checklist_check(problems, visit.purpose_type_id, list(checklist or []))
    else:
        checks = None
    _save(visit, problems)
    if checked_in:
        customer_location_from_check_in(visit=visit)
    if contact_ids is not None:
        visit.contacts.set(contact_ids)
    if checks is not None:
        visit.steps.all().delete()
        _visit_steps_create(visit, checks)
    return visit


@dataclass(frozen=True)
class SurveyAnswer:
    """The satisfaction score (1–5; None for no survey) and comment given with a visit (S4)."""

    overall: int | None
    comment: str = ""


@transaction.atomic
def visit_save_with_survey(
    *,
    visit: Visit,
    actor: User,
    contacts: Iterable[Contact] | Iterable[int] | None,
    checklist: Iterable[StepCheck] | None,
    survey: SurveyAnswer,
    follow_up_on: date | None = None,
    check_in: CheckIn | None = None,
) -> Visit:
    """Save a visit (as `visit_save`), the satisfaction survey given with it and, with a
    `follow_up_on` date, a follow-up of its next step for its rep; all or nothing.

    The survey's problems are reported on the `satisfaction` field of the visit form, the
    follow-up's on `next_step` (its title) and `follow_up_on`.
    """
    visit_save(visit=visit, actor=actor, contacts=contacts, checklist=checklist, check_in=check_in)
    try:
        visit_survey_record(
            visit=visit, overall=survey.overall, comment=survey.comment, actor=actor
        )
    except ValidationError as error:
        messages_by_field = error.message_dict if hasattr(error, "error_dict") else {}
        raise ValidationError(
            {"satisfaction": [m for ms in messages_by_field.values() for m in ms] or error.messages}
        ) from error
    if follow_up_on is not None:
        _visit_follow_up(visit=visit, due_date=follow_up_on, actor=actor)
    return visit


def _visit_follow_up(*, visit: Visit, due_date: date, actor: User) -> None:
    """The visit's next step as its rep's follow-up due on `due_date` (the first line as its
    title, the whole step as its detail when longer)."""
    next_step = visit.next_step.strip()
    if not next_step:
        raise ValidationError({"next_step": [_("Write the next step to follow up on.")]})
    title = next_step.splitlines()[0][:200]
    try:
        follow_up_create(
            actor=actor,
            source=visit,
            title=title,
            due_date=due_date,
            owner=visit.rep,
            detail=next_step if next_step != title else "",
        )
    except ValidationError as error:
        on_form: dict[str, list[str]] = {}
        for name, messages in error.message_dict.items():
            field = "next_step" if name in ("title", "detail") else "follow_up_on"
            on_form.setdefault(field, []).extend(messages)
        raise ValidationError(on_form) from error


@transaction.atomic
def expense_save(*, instance: Expense, actor: User) -> Expense:
    """Validate and save an expense: a known rep, an amount not negative."""
    problems = Problems()
    if not instance.code:
        instance.code = record_code_new(Expense)
    reference_check(problems, field="rep", model=Person, pk=instance.rep_id, actor=actor)
    not_negative_check(problems, field="amount", value=instance.amount)
    return _save(instance, problems)


# --- deleting a record (the API's DELETE) --------------------------------------------------------


def _delete(record: Model, actor: User) -> None:
    """Delete `record` if the actor may write it (records that protect it still refuse)."""
    if not can_write(actor, record):
        raise PermissionDenied
    record.delete()


@transaction.atomic
def category_delete(*, category: Category, actor: User) -> None:
    """Delete a product category."""
    _delete(category, actor)


@transaction.atomic
def product_delete(*, product: Product, actor: User) -> None:
    """Delete a product."""
    _delete(product, actor)


@transaction.atomic
def order_delete(*, order: Order, actor: User) -> None:
    """Delete an order and its lines."""
    _delete(order, actor)


@transaction.atomic
def order_line_delete(*, order_line: OrderLine, actor: User) -> None:
    """Delete one line of an order."""
    _delete(order_line, actor)


@transaction.atomic
def invoice_delete(*, invoice: Invoice, actor: User) -> None:
    """Delete an invoice."""
    _delete(invoice, actor)


@transaction.atomic
def payment_delete(*, payment: Payment, actor: User) -> None:
    """Delete a payment."""
    _delete(payment, actor)


@transaction.atomic
def visit_delete(*, visit: Visit, actor: User) -> None:
    """Delete a visit and its checklist steps."""
    _delete(visit, actor)


@transaction.atomic
def expense_delete(*, expense: Expense, actor: User) -> None:
    """Delete an expense."""
    _delete(expense, actor)
