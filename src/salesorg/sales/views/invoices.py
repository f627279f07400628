"""Pages of invoices and payments: the list, an invoice and its balance, editing, paying."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from salesorg.core.listing import ListFilter, ListPage, list_response
from salesorg.core.money import quantize_cents
from salesorg.core.views import ScopedDetailView, ScopedUpdateView
from salesorg.sales import selectors, services
from salesorg.sales.forms import (
    InvoiceForm,
    PaymentForm,
)
from salesorg.sales.models import Invoice, Payment
from salesorg.sales.permissions import can_write
from salesorg.sales.views.records import RecordWriteMixin, ServiceFormMixin


@login_required
def invoice_list(request: HttpRequest) -> HttpResponse:
    """Invoices in scope with paid and outstanding amounts: search, state, sort, page, CSV."""
    state = request.GET.get("state", "")
    sort = request.GET.get("sort", "-invoice_date")
    invoices = selectors.invoice_list(
        user=request.user,
        search=request.GET.get("q", "").strip(),
        state=state,
        sort=sort,
        today=timezone.localdate(),
    )
    states = [
        ("open", pgettext("invoice status", "Open")),
        ("overdue", pgettext("past deadline", "Overdue")),
        ("paid", _("Paid")),
    ]
    page_def = ListPage(
        title=_("Invoices"),
        url_name="sales:invoices",
        table_template="sales/_invoice_table.html",
        csv_name="invoices",
        search_placeholder=_("Search code, customer or rep"),
        filters=[ListFilter("state", _("All invoices"), states, state)],
        csv_columns=[
            (_("Code"), lambda i: i.code),
            (_("Invoice date"), lambda i: i.invoice_date),
            (pgettext("invoice", "Due date"), lambda i: i.due_date),
            (_("Customer"), lambda i: i.customer.code),
            (_("Rep"), lambda i: i.rep.code),
            (pgettext("money", "Amount"), lambda i: i.amount),
            (_("Paid"), lambda i: quantize_cents(i.paid)),
            (_("Outstanding"), lambda i: quantize_cents(i.outstanding)),
        ],
    )
    return list_response(request, page_def, invoices, {"sort": sort})


class InvoiceDetail(ScopedDetailView):
    """An invoice with its payments, outstanding balance and a form to record a payment."""

    model = Invoice
    template_name = "sales/invoice_detail.html"
    context_object_name = "invoice"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(selectors.invoice_balance(invoice=self.object))
        may_pay = can_write(self.request.user, Payment(invoice=self.object))
        context["can_edit"] = can_write(self.request.user, self.object)
        context["payment_form"] = (
            kwargs.get("payment_form") or PaymentForm(initial={"amount": context["outstanding"]})
            if may_pay
            else None
        )
        return context


class InvoiceEdit(ServiceFormMixin, ScopedUpdateView):
    """Edit an invoice (finance, director, admin)."""

    model = Invoice
    form_class = InvoiceForm
    template_name = "sales/record_form.html"
    context_object_name = "invoice"
    title = gettext_lazy("Edit invoice")

    def save(self, form):
        invoice = self.object
        for name, value in form.cleaned_data.items():
            setattr(invoice, name, value)
        services.invoice_save(instance=invoice, actor=self.request.user)


class PaymentRecord(RecordWriteMixin, ScopedDetailView):
    """Record a payment on an invoice; errors re-show the invoice page with the message."""

    model = Invoice
    template_name = "sales/invoice_detail.html"
    context_object_name = "invoice"
    permission_model = Payment

    def permission_record(self, obj):
        return Payment(invoice=obj)

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self._render(PaymentForm(initial={"amount": None}))

    def _render(self, form):
        detail = InvoiceDetail(request=self.request, object=self.object, kwargs=self.kwargs)
        context = detail.get_context_data(object=self.object, payment_form=form)
        return render(self.request, self.template_name, context)

    def post(self, request, *args, **kwargs):
        self.object = invoice = self.get_object()
        form = PaymentForm(request.POST)
        if form.is_valid():
            try:
                services.payment_record(
                    invoice=invoice,
                    payment_date=form.cleaned_data["payment_date"],
                    amount=form.cleaned_data["amount"],
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Payment recorded."))
                return redirect(invoice.get_absolute_url())
        return self._render(form)
