"""Pages of orders: the list, an order with its lines and margin, editing it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from salesorg.core.listing import ListFilter, ListPage, list_response
from salesorg.core.money import quantize_cents
from salesorg.core.views import ScopedDetailView, ScopedUpdateView
from salesorg.sales import selectors, services
from salesorg.sales.choices import OrderStatus
from salesorg.sales.forms import (
    OrderForm,
    OrderLineFormSet,
)
from salesorg.sales.models import Invoice, Order
from salesorg.sales.permissions import can_write
from salesorg.sales.rules import order_notices
from salesorg.sales.views.records import ServiceFormMixin


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    """Orders in scope with totals and gross margin: search, status, sort, page, CSV."""
    status = request.GET.get("status", "")
    sort = request.GET.get("sort", "-order_date")
    orders = selectors.order_list(
        user=request.user, search=request.GET.get("q", "").strip(), status=status, sort=sort
    )
    page_def = ListPage(
        title=_("Orders"),
        url_name="sales:orders",
        table_template="sales/_order_table.html",
        csv_name="orders",
        search_placeholder=_("Search code, customer or rep"),
        filters=[ListFilter("status", _("All statuses"), OrderStatus.choices, status)],
        csv_columns=[
            (_("Code"), lambda o: o.code),
            (_("Order date"), lambda o: o.order_date),
            (_("Customer"), lambda o: o.customer.code),
            (_("Rep"), lambda o: o.rep.code),
            (_("Status"), lambda o: o.get_status_display()),
            (pgettext("money", "Amount"), lambda o: quantize_cents(o.total_amount)),
            (_("Cost"), lambda o: quantize_cents(o.total_cost)),
            (_("Gross margin"), lambda o: quantize_cents(o.gross_margin)),
        ],
    )
    return list_response(request, page_def, orders, {"sort": sort})


class OrderDetail(ScopedDetailView):
    """An order: customer, rep, status, lines, totals and gross margin."""

    model = Order
    template_name = "sales/order_detail.html"
    context_object_name = "order"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(selectors.order_detail(order=self.object))
        context["invoices"] = Invoice.objects.visible_to(self.request.user).filter(
            order=self.object
        )
        context["can_edit"] = can_write(self.request.user, self.object)
        return context


class OrderEdit(ServiceFormMixin, ScopedUpdateView):
    """Edit an order's header and lines."""

    model = Order
    form_class = OrderForm
    template_name = "sales/order_form.html"
    context_object_name = "order"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("lines", self.line_formset())
        return context

    def line_formset(self):
        if self.request.method == "POST":
            return OrderLineFormSet(self.request.POST, prefix="lines")
        initial = [
            {
                "line_no": line.line_no,
                "product": line.product_id,
                "quantity": line.quantity,
                "amount": line.amount,
                "cost": line.cost,
            }
            for line in self.object.lines.order_by("line_no")
        ]
        return OrderLineFormSet(initial=initial, prefix="lines")

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.get_form()
        lines = self.line_formset()
        if not (form.is_valid() and lines.is_valid()):
            return self.render_to_response(self.get_context_data(form=form, lines=lines))
        order = self.object
        order.customer = form.cleaned_data["customer"]
        order.rep = form.cleaned_data["rep"]
        order.order_date = form.cleaned_data["order_date"]
        order.status = form.cleaned_data["status"]
        line_data = [
            services.LineData(
                line_no=row["line_no"],
                product_id=row["product"].pk,
                quantity=row["quantity"],
                amount=row["amount"],
                cost=row["cost"],
            )
            for row in lines.cleaned_data
            if row and not row.get("DELETE")
        ]
        if not can_write(request.user, order):
            raise PermissionDenied
        try:
            services.order_save(order=order, lines=line_data, actor=request.user)
        except ValidationError as error:
            form.add_service_errors(error)
            return self.render_to_response(self.get_context_data(form=form, lines=lines))
        messages.success(request, _("Saved."))
        for warning in order_notices(order=order):
            messages.warning(request, warning)
        return redirect(order.get_absolute_url())
