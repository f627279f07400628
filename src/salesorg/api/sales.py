"""Sales endpoints: catalogue, orders and lines, invoices, payments, visits and expenses
(customers and contacts are in api.customers, targets in api.targets).

Reads are scoped by `visible_to`; writes follow `sales.permissions` and go through the
same services as the pages, so the API refuses exactly what the forms refuse.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from functools import partial
from uuid import UUID

from django.core.exceptions import ValidationError
from ninja import Field, Router, Schema

from salesorg.api.crud import plain_save, register_crud
from salesorg.api.types import MAX_INT32, Amount, Day, LocalTime, OptionalCode, RecordId
from salesorg.core.fields import CODE_LENGTH
from salesorg.sales import services
from salesorg.sales.choices import OrderStatus, VisitKind
from salesorg.sales.models import (
    Category,
    Expense,
    Invoice,
    Order,
    OrderLine,
    Payment,
    Product,
    Visit,
)
from salesorg.sales.permissions import can_create, can_write
from salesorg.sales.selectors import check_ins
from salesorg.sales.services import visit_sync
from salesorg.sales.services.check_ins import CheckIn

router = Router(tags=["sales"])

ZERO = Decimal("0")


# --- catalogue ----------------------------------------------------------------------------------


class CategoryOut(Schema):
    id: int
    code: str
    name: str
    focus: bool


class CategoryIn(Schema):
    code: str = Field(..., min_length=1, max_length=CODE_LENGTH)
    name: str = Field(..., min_length=1, max_length=100)
    focus: bool = False


class CategoryPatch(Schema):
    code: str = Field(None, min_length=1, max_length=CODE_LENGTH)
    name: str = Field(None, min_length=1, max_length=100)
    focus: bool = None


class ProductOut(Schema):
    id: int
    code: str
    name: str
    category_id: RecordId
    list_price: Decimal | None
    standard_cost: Decimal | None


class ProductIn(Schema):
    code: str = Field(..., min_length=1, max_length=CODE_LENGTH)
    name: str = Field(..., min_length=1, max_length=200)
    category_id: RecordId
    list_price: Amount | None = None
    standard_cost: Amount | None = None


class ProductPatch(Schema):
    code: str = Field(None, min_length=1, max_length=CODE_LENGTH)
    name: str = Field(None, min_length=1, max_length=200)
    category_id: RecordId = None
    list_price: Amount | None = None
    standard_cost: Amount | None = None


# --- orders -------------------------------------------------------------------------------------


class OrderLineOut(Schema):
    id: int
    order_id: RecordId
    line_no: int
    product_id: RecordId
    quantity: Decimal
    amount: Decimal
    cost: Decimal
    gross_margin: Decimal


class OrderLineIn(Schema):
    order_id: RecordId
    line_no: int = Field(..., ge=1, le=MAX_INT32)
    product_id: RecordId
    quantity: Amount
    amount: Amount
    cost: Amount


class OrderLinePatch(Schema):
    line_no: int = Field(None, ge=1, le=MAX_INT32)
    product_id: RecordId = None
    quantity: Amount = None
    amount: Amount = None
    cost: Amount = None


class OrderOut(Schema):
    id: int
    code: str
    customer_id: RecordId
    rep_id: RecordId
    order_date: date
    status: OrderStatus
    lines: list[OrderLineOut]
    total_amount: Decimal
    total_cost: Decimal
    gross_margin: Decimal

    @staticmethod
    def resolve_lines(order: Order) -> list[OrderLine]:
        return list(order.lines.all())

    @staticmethod
    def resolve_total_amount(order: Order) -> Decimal:
        return sum((line.amount for line in order.lines.all()), ZERO)

    @staticmethod
    def resolve_total_cost(order: Order) -> Decimal:
        return sum((line.cost for line in order.lines.all()), ZERO)

    @staticmethod
    def resolve_gross_margin(order: Order) -> Decimal:
        return sum((line.amount - line.cost for line in order.lines.all()), ZERO)


class OrderIn(Schema):
    code: str = OptionalCode
    customer_id: RecordId
    rep_id: RecordId
    order_date: Day
    status: OrderStatus = OrderStatus.CONFIRMED


class OrderPatch(Schema):
    code: str = Field(None, min_length=1, max_length=CODE_LENGTH)
    customer_id: RecordId = None
    rep_id: RecordId = None
    order_date: Day = None
    status: OrderStatus = None


# --- invoices and payments ------------------------------------------------------------------------


class InvoiceOut(Schema):
    id: int
    code: str
    customer_id: RecordId
    rep_id: RecordId
    order_id: RecordId | None
    invoice_date: date
    due_date: date
    amount: Decimal
    paid: Decimal
    outstanding: Decimal

    @staticmethod
    def resolve_paid(invoice: Invoice) -> Decimal:
        return sum((payment.amount for payment in invoice.payments.all()), ZERO)

    @staticmethod
    def resolve_outstanding(invoice: Invoice) -> Decimal:
        return invoice.amount - sum((payment.amount for payment in invoice.payments.all()), ZERO)


class InvoiceIn(Schema):
    code: str = OptionalCode
    customer_id: RecordId
    rep_id: RecordId
    order_id: RecordId | None = None
    invoice_date: Day
    due_date: Day
    amount: Amount


class InvoicePatch(Schema):
    code: str = Field(None, min_length=1, max_length=CODE_LENGTH)
    customer_id: RecordId = None
    rep_id: RecordId = None
    order_id: RecordId | None = None
    invoice_date: Day = None
    due_date: Day = None
    amount: Amount = None


class PaymentOut(Schema):
    id: int
    code: str
    invoice_id: RecordId
    payment_date: date
    amount: Decimal


class PaymentIn(Schema):
    code: str = OptionalCode
    invoice_id: RecordId
    payment_date: Day
    amount: Amount


class PaymentPatch(Schema):
    code: str = Field(None, min_length=1, max_length=CODE_LENGTH)
    payment_date: Day = None
    amount: Amount = None


# --- visits and expenses ------------------------------------------------------------------------


class StepCheckSchema(Schema):
    step_id: RecordId
    done: bool
    skip_reason: str = Field("", max_length=200)


class VisitStepOut(Schema):
    """A checklist answer with the step as it was asked (its purpose's checklist version)."""

    step_id: RecordId
    done: bool
    skip_reason: str
    purpose_version: int
    text: str
    required: bool


class CheckInIn(Schema):
    """Where and when the rep's phone was when the visit was started (browser geolocation),
    recorded only with `consent` true; a visit keeps its first check-in."""

    latitude: Decimal = Field(..., ge=-90, le=90, allow_inf_nan=False)
    longitude: Decimal = Field(..., ge=-180, le=180, allow_inf_nan=False)
    accuracy_m: Decimal = Field(..., ge=0, le=100_000, allow_inf_nan=False)
    taken_at: datetime
    consent: bool = Field(..., description="the rep agreed to share their location")


class CheckInOut(Schema):
    """A visit's check-in and its distance from the customer's location (None: the customer
    has no location); `far`: beyond the far-from-customer setting, allowing for accuracy."""

    latitude: Decimal
    longitude: Decimal
    accuracy_m: int
    taken_at: datetime
    distance_m: int | None
    far: bool


class VisitOut(Schema):
    id: int
    code: str
    rep_id: RecordId
    customer_id: RecordId
    visit_date: date
    visit_time: time | None
    kind: VisitKind
    coach_id: RecordId | None
    purpose_type_id: RecordId | None
    purpose: str
    outcome: str
    next_step: str
    contact_ids: list[RecordId]
    checklist: list[VisitStepOut]
    check_in: CheckInOut | None

    @staticmethod
    def resolve_check_in(visit: Visit) -> dict | None:
        found = check_ins.visit_check_in(visit=visit)
        if found is None:
            return None
        return {
            "latitude": found.latitude,
            "longitude": found.longitude,
            "accuracy_m": found.accuracy_m,
            "taken_at": found.at,
            "distance_m": found.distance_m,
            "far": found.far,
        }

    @staticmethod
    def resolve_contact_ids(visit: Visit) -> list[int]:
        return sorted(contact.pk for contact in visit.contacts.all())

    @staticmethod
    def resolve_checklist(visit: Visit) -> list[dict]:
        return [
            {
                "step_id": s.step_id,
                "done": s.done,
                "skip_reason": s.skip_reason,
                "purpose_version": s.purpose_version,
                "text": s.text,
                "required": s.required,
            }
            for s in sorted(visit.steps.all(), key=lambda s: (s.position, s.step_id))
        ]


class VisitIn(Schema):
    code: str = OptionalCode
    rep_id: RecordId
    customer_id: RecordId
    visit_date: Day
    visit_time: LocalTime | None = None
    kind: VisitKind = VisitKind.VISIT
    coach_id: RecordId | None = None
    purpose_type_id: RecordId | None = None
    purpose: str = Field("", max_length=200)
    outcome: str = ""
    next_step: str = ""
    contact_ids: list[RecordId] = []
    checklist: list[StepCheckSchema] = []
    check_in: CheckInIn | None = None
    client_key: UUID | None = Field(
        None,
        description="an idempotency key made by the client: a resend with the same key answers "
        "the visit already saved (200), never a second one",
    )


class VisitPatch(Schema):
    code: str = Field(None, min_length=1, max_length=CODE_LENGTH)
    rep_id: RecordId = None
    customer_id: RecordId = None
    visit_date: Day = None
    visit_time: LocalTime | None = None
    kind: VisitKind = None
    coach_id: RecordId | None = None
    purpose_type_id: RecordId | None = None
    purpose: str = Field(None, max_length=200)
    outcome: str = None
    next_step: str = None
    contact_ids: list[RecordId] = None
    checklist: list[StepCheckSchema] = None
    check_in: CheckInIn = None


class ExpenseOut(Schema):
    id: int
    code: str
    rep_id: RecordId
    expense_date: date
    category: str
    amount: Decimal


class ExpenseIn(Schema):
    code: str = OptionalCode
    rep_id: RecordId
    expense_date: Day
    category: str = Field(..., min_length=1, max_length=100)
    amount: Amount


class ExpensePatch(Schema):
    code: str = Field(None, min_length=1, max_length=CODE_LENGTH)
    rep_id: RecordId = None
    expense_date: Day = None
    category: str = Field(None, min_length=1, max_length=100)
    amount: Amount = None


# --- saving through the services ------------------------------------------------------------------


def _order_save(*, instance: Order, actor, extra) -> Order:
    return services.order_save(order=instance, actor=actor)


def _visit_save(*, instance: Visit, actor, extra) -> Visit:
    checklist = extra.get("checklist")
    if checklist is not None:
        checklist = [services.StepCheck(**check) for check in checklist]
    check_in = extra.get("check_in")

    def save(visit: Visit) -> Visit:
        return services.visit_save(
            visit=visit,
            actor=actor,
            contacts=extra.get("contact_ids"),
            checklist=checklist,
            check_in=CheckIn(**check_in) if check_in else None,
        )

    try:
        client_key = extra.get("client_key")
        if client_key is None or instance.pk is not None:
            return save(instance)
        # The same semantics as the visit form's offline queue (services/visit_sync.py).
        visit, _created = visit_sync.visit_save_once(
            visit=instance, client_key=client_key, actor=actor, save=save
        )
        return visit
    except ValidationError as error:
        if hasattr(error, "error_dict") and "contacts" in error.error_dict:
            errors = error.message_dict
            errors["contact_ids"] = errors.pop("contacts")
            raise ValidationError(errors) from error
        raise


RESOURCES = [
    # model, prefix, out, in, patch, save, search, select_related, prefetch, write_only
    (
        Category,
        "categories",
        CategoryOut,
        CategoryIn,
        CategoryPatch,
        plain_save(services.category_save),
        ("code", "name"),
        (),
        (),
        (),
    ),
    (
        Product,
        "products",
        ProductOut,
        ProductIn,
        ProductPatch,
        plain_save(services.product_save),
        ("code", "name"),
        (),
        (),
        (),
    ),
    (
        Order,
        "orders",
        OrderOut,
        OrderIn,
        OrderPatch,
        _order_save,
        ("code", "customer__code", "customer__name"),
        (),
        ("lines",),
        (),
    ),
    (
        OrderLine,
        "order-lines",
        OrderLineOut,
        OrderLineIn,
        OrderLinePatch,
        plain_save(services.order_line_save),
        ("order__code", "product__code"),
        (),
        (),
        (),
    ),
    (
        Invoice,
        "invoices",
        InvoiceOut,
        InvoiceIn,
        InvoicePatch,
        plain_save(services.invoice_save),
        ("code", "customer__code", "customer__name"),
        (),
        ("payments",),
        (),
    ),
    (
        Payment,
        "payments",
        PaymentOut,
        PaymentIn,
        PaymentPatch,
        plain_save(services.payment_save),
        ("code", "invoice__code"),
        (),
        (),
        (),
    ),
    (
        Visit,
        "visits",
        VisitOut,
        VisitIn,
        VisitPatch,
        _visit_save,
        ("code", "customer__code", "customer__name", "purpose"),
        ("customer",),
        ("contacts", "steps"),
        ("contact_ids", "checklist", "check_in", "client_key"),
    ),
    (
        Expense,
        "expenses",
        ExpenseOut,
        ExpenseIn,
        ExpensePatch,
        plain_save(services.expense_save),
        ("code", "category"),
        (),
        (),
        (),
    ),
]


DELETE_SERVICES = {
    Category: services.category_delete,
    Product: services.product_delete,
    Order: services.order_delete,
    OrderLine: services.order_line_delete,
    Invoice: services.invoice_delete,
    Payment: services.payment_delete,
    Visit: services.visit_delete,
    Expense: services.expense_delete,
}


for (
    model,
    prefix,
    out_schema,
    create_schema,
    update_schema,
    save,
    search,
    related,
    prefetch,
    write_only,
) in RESOURCES:
    register_crud(
        router,
        model=model,
        prefix=prefix,
        out_schema=out_schema,
        create_schema=create_schema,
        update_schema=update_schema,
        save=save,
        delete=DELETE_SERVICES[model],
        can_write=partial(can_create, model=model),
        can_write_object=can_write,
        search_fields=search,
        select_related=related,
        prefetch_related=prefetch,
        actor_aware=True,
        write_only=write_only,
        resend_answers_saved=model is Visit,
    )
