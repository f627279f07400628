"""The sales demo's orders with their lines, the invoices and the payments, late or not."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from decimal import Decimal

from salesorg.core.money import quantize_cents
from salesorg.demo.records import ONE, SEASONALITY, Account, SalesGenerator
from salesorg.sales.choices import OrderStatus
from salesorg.sales.models import Invoice, Order, OrderLine, Payment, Product

DISCOUNTS = (Decimal("0"), Decimal("0.03"), Decimal("0.05"), Decimal("0.08"), Decimal("0.10"))
DISCOUNT_WEIGHTS = (30, 20, 25, 15, 10)


def orders_create(generator: SalesGenerator) -> None:
    rng = generator.rng(5)
    product_choices = [product for product, _ in generator.products]
    product_weights = [weight for _, weight in generator.products]
    spans = generator.spans(buying=True)
    planned: list[tuple[Order, list[OrderLine]]] = []
    for seller in generator.sellers:
        rep = seller.person
        for year, month in generator.months():
            month_days = generator.workdays_by_month.get((year, month), [])
            days = [d for d in month_days if d <= generator.today and seller.employed(d)]
            if not days:
                continue
            expected = seller.orders_per_month * SEASONALITY[month] * len(days) / len(month_days)
            count = max(0, round(rng.gauss(expected, math.sqrt(expected) * 0.6)))
            for _ in range(count):
                day = rng.choice(days)
                candidates = [a for a, first, last in spans[rep.id] if first <= day <= last]
                if not candidates:
                    continue
                account = rng.choices(candidates, [a.size for a in candidates])[0]
                order = Order(
                    customer_id=account.customer.id,
                    rep_id=rep.id,
                    order_date=day,
                    status=(
                        OrderStatus.CANCELLED if rng.random() < 0.03 else OrderStatus.CONFIRMED
                    ),
                )
                order.account = account
                lines = _lines(rng, account, product_choices, product_weights)
                planned.append((order, lines))
    planned.sort(key=lambda pair: (pair[0].order_date, generator.rep_codes[pair[0].rep_id]))
    orders = []
    for order, _ in planned:
        order.code = generator.code(Order, order.order_date)
        orders.append(order)
    generator.save(Order, orders, "orders")
    lines = []
    for order, order_lines in planned:
        order.total = sum((line.amount for line in order_lines), Decimal(0))
        order.cost_total = sum((line.cost for line in order_lines), Decimal(0))
        for line in order_lines:
            line.order_id = order.id
            lines.append(line)
    generator.save(OrderLine, lines, "order_lines")
    generator.orders = orders


def _lines(
    rng: random.Random, account: Account, products: list[Product], weights: list[float]
) -> list[OrderLine]:
    count = rng.choices((1, 2, 3, 4), (40, 30, 20, 10))[0]
    chosen: list[Product] = []
    while len(chosen) < count:
        product = rng.choices(products, weights)[0]
        if product not in chosen:
            chosen.append(product)
    lines = []
    for line_no, product in enumerate(chosen, start=1):
        value = 6000 * account.size * rng.lognormvariate(0, 0.6)
        quantity = Decimal(max(1, round(value / float(product.list_price))))
        discount = rng.choices(DISCOUNTS, DISCOUNT_WEIGHTS)[0]
        if account.size > 2:
            discount += Decimal("0.05")  # key accounts get a better price
        lines.append(
            OrderLine(
                line_no=line_no,
                product_id=product.id,
                quantity=quantity,
                amount=quantize_cents(quantity * product.list_price * (ONE - discount)),
                cost=quantize_cents(quantity * product.standard_cost),
            )
        )
    return lines


def invoices_and_payments_create(generator: SalesGenerator) -> None:
    rng = generator.rng(6)
    invoices: list[Invoice] = []
    for order in generator.orders:
        if order.status != OrderStatus.CONFIRMED or rng.random() < 0.06:
            continue
        invoice_date = order.order_date + timedelta(days=rng.choice((0, 0, 0, 1, 2, 3, 5, 7)))
        if order.account.leaves_after(order.rep_id, invoice_date):
            invoice_date = order.order_date  # invoiced before the rep's last day
        if invoice_date > generator.today:
            continue
        invoice = Invoice(
            customer_id=order.customer_id,
            rep_id=order.rep_id,
            order_id=order.id,
            invoice_date=invoice_date,
            due_date=invoice_date + timedelta(days=order.account.terms_days),
            amount=order.total,
        )
        invoice.account = order.account
        invoice.order_code = order.code
        invoices.append(invoice)
    invoices.sort(key=lambda invoice: (invoice.invoice_date, invoice.order_code))
    for invoice in invoices:
        invoice.code = generator.code(Invoice, invoice.invoice_date)
    generator.save(Invoice, invoices, "invoices")
    generator.invoices = invoices

    payments: list[Payment] = []
    for invoice in invoices:
        for payment_date, amount in _instalments(rng, invoice):
            if payment_date <= generator.today and amount > 0:
                payment = Payment(invoice_id=invoice.id, payment_date=payment_date, amount=amount)
                payment.invoice_code = invoice.code
                payments.append(payment)
    payments.sort(key=lambda payment: (payment.payment_date, payment.invoice_code))
    for payment in payments:
        payment.code = generator.code(Payment, payment.payment_date)
    generator.save(Payment, payments, "payments")
    generator.payments = payments


def _instalments(rng: random.Random, invoice: Invoice) -> list[tuple[date, Decimal]]:
    """When and how much the customer pays: in full, in two parts, late or not at all."""
    account: Account = invoice.account
    terms = account.terms_days
    if account.payer == "prompt":
        delays = [max(10, terms + round(rng.gauss(-5, 8)))]
    elif account.payer == "slow":
        delays = [terms + rng.randint(5, 60)]
    else:
        delays = [terms + rng.randint(0, 45), terms + rng.randint(60, 150)]
        if rng.random() < 0.25:
            delays = delays[:1]  # the rest is still outstanding
    if len(delays) == 1 and rng.random() < 0.08:
        delays.append(delays[0] + rng.randint(15, 60))
    if len(delays) == 1 and account.payer != "prompt" and rng.random() < 0.04:
        return []  # a bad debt
    if len(delays) == 1:
        return [(invoice.invoice_date + timedelta(days=delays[0]), invoice.amount)]
    first = quantize_cents(invoice.amount * Decimal(rng.randint(30, 70)) / 100)
    second = invoice.amount - first
    if account.payer == "poor" and rng.random() < 0.3:
        second = quantize_cents(second / 2)  # a partial payment, never settled
    return [
        (invoice.invoice_date + timedelta(days=delays[0]), first),
        (invoice.invoice_date + timedelta(days=delays[1]), second),
    ]
