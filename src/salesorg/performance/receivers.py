"""The model signals the performance app listens to, each connected to its sender.

A saved or deleted fact (order, order line, invoice, payment, visit, expense) refreshes the
rollups of the (person, month) keys it counts for, before and after the change; a product
moved to another category refreshes its orders' keys; a deleted customer loses its first
order. `connect_receivers` is called once, from the app's `ready()`.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from salesorg.customers.models import Customer
from salesorg.performance.models import RollupFirstOrder
from salesorg.performance.services.rollups import FACT_MODELS, flush_unless_deferred, mark
from salesorg.sales.models import Expense, Invoice, Order, OrderLine, Payment, Product, Visit


def _keys_of(model, pk) -> None:
    """Mark the keys a stored record counts for (before it changes)."""
    if model is Order:
        row = Order.objects.filter(pk=pk).values_list("rep_id", "order_date", "customer_id").first()
        if row:
            mark(person_id=row[0], day=row[1], customer_id=row[2])
    elif model is OrderLine:
        row = (
            OrderLine.objects.filter(pk=pk)
            .values_list("order__rep_id", "order__order_date")
            .first()
        )
        if row:
            mark(person_id=row[0], day=row[1])
    elif model is Payment:
        row = (
            Payment.objects.filter(pk=pk)
            .values_list("invoice__rep_id", "invoice__invoice_date")
            .first()
        )
        if row:
            mark(person_id=row[0], day=row[1])
    else:
        date_field = {Invoice: "invoice_date", Visit: "visit_date", Expense: "expense_date"}[model]
        row = model.objects.filter(pk=pk).values_list("rep_id", date_field).first()
        if row:
            mark(person_id=row[0], day=row[1])


def _keys_of_instance(instance) -> None:
    """Mark the keys a record counts for as it is now (after a save, before a delete)."""
    if isinstance(instance, Order):
        mark(person_id=instance.rep_id, day=instance.order_date, customer_id=instance.customer_id)
    elif isinstance(instance, OrderLine | Payment):
        _keys_of(type(instance), instance.pk)
    elif isinstance(instance, Invoice):
        mark(person_id=instance.rep_id, day=instance.invoice_date)
    elif isinstance(instance, Visit):
        mark(person_id=instance.rep_id, day=instance.visit_date)
    elif isinstance(instance, Expense):
        mark(person_id=instance.rep_id, day=instance.expense_date)


def _before_fact_save(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    if instance.pk is not None and not instance._state.adding:
        _keys_of(sender, instance.pk)


def _after_fact_save(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    _keys_of_instance(instance)
    flush_unless_deferred()


def _before_fact_delete(sender, instance, **kwargs) -> None:
    if isinstance(instance, OrderLine | Payment):
        _keys_of(sender, instance.pk)  # the order or invoice may be gone after the delete


def _after_fact_delete(sender, instance, **kwargs) -> None:
    if not isinstance(instance, OrderLine | Payment):
        _keys_of_instance(instance)
    flush_unless_deferred()


def _before_product_save(sender, instance, raw=False, **kwargs) -> None:
    """A product moved to another category: its orders' keys sum by category anew."""
    if raw or instance.pk is None or instance._state.adding:
        return
    old = Product.objects.filter(pk=instance.pk).values_list("category_id", flat=True).first()
    if old is not None and old != instance.category_id:
        for rep_id, day in (
            Order.objects.filter(lines__product_id=instance.pk)
            .order_by()
            .values_list("rep_id", "order_date")
            .distinct()
        ):
            mark(person_id=rep_id, day=day)


def _after_product_save(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    flush_unless_deferred()


def _customer_gone(sender, instance, **kwargs) -> None:
    RollupFirstOrder.objects.filter(customer_id=instance.pk).delete()


def connect_receivers() -> None:
    """Connect each receiver to the models it watches (idempotent: one dispatch uid each)."""
    for model in FACT_MODELS:
        label = model._meta.label_lower
        pre_save.connect(_before_fact_save, sender=model, dispatch_uid=f"rollups-pre-save-{label}")
        post_save.connect(_after_fact_save, sender=model, dispatch_uid=f"rollups-save-{label}")
        pre_delete.connect(
            _before_fact_delete, sender=model, dispatch_uid=f"rollups-pre-delete-{label}"
        )
        post_delete.connect(
            _after_fact_delete, sender=model, dispatch_uid=f"rollups-delete-{label}"
        )
    pre_save.connect(_before_product_save, sender=Product, dispatch_uid="rollups-pre-save-product")
    post_save.connect(_after_product_save, sender=Product, dispatch_uid="rollups-save-product")
    post_delete.connect(_customer_gone, sender=Customer, dispatch_uid="rollups-customer-gone")
