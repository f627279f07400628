"""Pages of the sales records: orders, invoices and payments, visits, expenses."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.forms.models import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_GET

from salesorg.core.listing import ListFilter, ListPage, date_param, list_response
from salesorg.core.money import quantize_cents
from salesorg.core.scoping import scope_for
from salesorg.core.views import ScopedDetailView, ScopedUpdateView
from salesorg.sales import selectors, services
from salesorg.sales.choices import OrderStatus, VisitKind
from salesorg.sales.forms import (
    ExpenseForm,
    InvoiceForm,
    OrderForm,
    OrderLineFormSet,
    PaymentForm,
    VisitForm,
)
from salesorg.sales.models import Expense, Invoice, Order, Payment, Visit, VisitPurpose
from salesorg.sales.permissions import can_create, can_write
from salesorg.sales.rules import order_notices, visit_survey_record


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


@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    """Visits in scope: search, kind, dates, sort, page, CSV; a button to log one."""
    kind = request.GET.get("kind", "")
    sort = request.GET.get("sort", "-visit_date")
    date_from = date_param(request, "from")
    date_to = date_param(request, "to")
    visits = selectors.visit_list(
        user=request.user,
        search=request.GET.get("q", "").strip(),
        kind=kind,
        date_from=date_from,
        date_to=date_to,
        sort=sort,
    )
    may_log = can_create(request.user, Visit)
    page_def = ListPage(
        title=_("Visits"),
        url_name="sales:visits",
        table_template="sales/_visit_table.html",
        csv_name="visits",
        search_placeholder=_("Search customer, rep, purpose or outcome"),
        filters=[ListFilter("kind", _("All kinds"), VisitKind.choices, kind)],
        date_filters=True,
        create_url="sales:visit_log" if may_log else "",
        create_label=_("Log a visit"),
        csv_columns=[
            (_("Code"), lambda v: v.code),
            (_("Date"), lambda v: v.visit_date),
            (_("Time"), lambda v: v.visit_time.strftime("%H:%M") if v.visit_time else ""),
            (_("Rep"), lambda v: v.rep.code),
            (_("Customer"), lambda v: v.customer.code),
            (_("Kind"), lambda v: v.get_kind_display()),
            (pgettext("person who coaches", "Coach"), lambda v: v.coach.code if v.coach else ""),
            (_("Purpose"), lambda v: v.purpose_text),
            (_("Outcome"), lambda v: v.outcome),
            (_("Next step"), lambda v: v.next_step),
        ],
    )
    context = {"sort": sort, "date_from": date_from, "date_to": date_to}
    return list_response(request, page_def, visits, context)


@login_required
def expense_list(request: HttpRequest) -> HttpResponse:
    """Expenses in scope: search, category, sort, page, CSV; a button to add one."""
    category = request.GET.get("category", "")
    sort = request.GET.get("sort", "-expense_date")
    expenses = selectors.expense_list(
        user=request.user, search=request.GET.get("q", "").strip(), category=category, sort=sort
    )
    categories = [(c, c) for c in selectors.expense_categories(user=request.user)]
    may_add = can_create(request.user, Expense)
    page_def = ListPage(
        title=_("Expenses"),
        url_name="sales:expenses",
        table_template="sales/_expense_table.html",
        csv_name="expenses",
        search_placeholder=_("Search code, rep or category"),
        filters=[ListFilter("category", _("All categories"), categories, category)],
        create_url="sales:expense_add" if may_add else "",
        create_label=_("Add an expense"),
        csv_columns=[
            (_("Code"), lambda e: e.code),
            (_("Date"), lambda e: e.expense_date),
            (_("Rep"), lambda e: e.rep.code),
            (pgettext("category of a record", "Category"), lambda e: e.category),
            (pgettext("money", "Amount"), lambda e: e.amount),
        ],
    )
    return list_response(request, page_def, expenses, {"sort": sort})


# --- writing one record -------------------------------------------------------------------------


class RecordWriteMixin:
    """An edit page: the object is found in scope (404) and must be writable (403)."""

    record_permission = staticmethod(can_write)
    permission_model = None  # the model whose write right the page needs, when not `model`

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not self.record_permission(self.request.user, self.permission_record(obj)):
            raise PermissionDenied
        return obj

    def permission_record(self, obj: Model) -> Model:
        """The record whose write permission the page needs (the object by default)."""
        return obj

    def get_initial(self):
        """The form starts from the record's current values (foreign keys as their pk)."""
        return model_to_dict(self.object, fields=list(self.get_form_class().base_fields))


class ServiceFormMixin(RecordWriteMixin):
    """An UpdateView whose plain form is saved by a service, re-shown with its errors."""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        kwargs["user"] = self.request.user
        return kwargs

    title = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = f"{self.title} {self.object}"
        context["cancel_href"] = self.object.get_absolute_url()
        return context

    def form_valid(self, form):
        try:
            self.save(form)
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect(self.object.get_absolute_url())


# --- orders ------------------------------------------------------------------------------------


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


# --- invoices and payments ------------------------------------------------------------------------


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


# --- visits ------------------------------------------------------------------------------------


def _checklist_rows(purpose: VisitPurpose | None, data=None, visit: Visit | None = None):
    """Rows of the checklist to show: each step with what was entered (or saved) for it."""
    saved = {}
    if visit is not None and visit.pk and data is None:
        saved = {vs.step_id: vs for vs in visit.steps.all()}
    rows = []
    for step in selectors.purpose_steps(purpose=purpose):
        if data is not None:
            done = bool(data.get(f"step-{step.id}-done"))
            reason = data.get(f"step-{step.id}-skip_reason", "")
        else:
            record = saved.get(step.id)
            done = record.done if record else False
            reason = record.skip_reason if record else ""
        rows.append({"step": step, "done": done, "skip_reason": reason})
    return rows


def _visit_context(form: VisitForm, visit: Visit | None = None) -> dict:
    customer = form.chosen_customer()
    purpose = form.chosen_purpose()
    data = form.data if form.is_bound else None
    if customer is not None:
        selected = {str(pk) for pk in form.chosen_contact_ids()}
        contacts = form.offered_contacts()
    else:
        selected, contacts = set(), []
    return {
        "form": form,
        "visit": visit,
        "customer": customer,
        "contacts": contacts,
        "selected_contacts": selected,
        "checklist": _checklist_rows(purpose, data, visit),
    }


def _visit_from_form(visit: Visit, form: VisitForm, user) -> Visit:
    data = form.cleaned_data
    if "rep" in form.fields:
        visit.rep = data["rep"]
    elif visit.rep_id is None:
        visit.rep_id = scope_for(user).person_id
    for name in (
        "customer",
        "visit_date",
        "visit_time",
        "kind",
        "coach",
        "purpose_type",
        "purpose",
        "outcome",
        "next_step",
    ):
        setattr(visit, name, data[name])
    return visit


def _visit_survey_save(visit: Visit, form: VisitForm, user) -> None:
    """Save the satisfaction score given on the visit form (S4) as the visit's survey."""
    try:
        visit_survey_record(
            visit=visit,
            overall=form.cleaned_data.get("satisfaction"),
            comment=form.cleaned_data.get("satisfaction_comment", ""),
            actor=user,
        )
    except ValidationError as error:
        messages_by_field = error.message_dict if hasattr(error, "error_dict") else {}
        raise ValidationError(
            {"satisfaction": [m for ms in messages_by_field.values() for m in ms] or error.messages}
        ) from error


@login_required
def visit_log(request: HttpRequest) -> HttpResponse:
    """Log a visit: the phone-first form with customer search, contacts and checklist."""
    if not can_create(request.user, Visit):
        raise PermissionDenied
    if request.method == "POST":
        form = VisitForm(request.POST, user=request.user)
        if form.is_valid():
            visit = _visit_from_form(Visit(), form, request.user)
            if not can_write(request.user, visit):
                raise PermissionDenied
            try:
                with transaction.atomic():  # the visit and its survey, or neither
                    services.visit_save(
                        visit=visit,
                        contacts=form.cleaned_data["contacts"],
                        checklist=form.checklist(),
                        actor=request.user,
                    )
                    _visit_survey_save(visit, form, request.user)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Visit saved: %(code)s") % {"code": visit.code})
                return redirect(visit.get_absolute_url())
    else:
        initial = {"visit_date": timezone.localdate(), "kind": VisitKind.VISIT}
        if request.GET.get("customer"):
            initial["customer"] = request.GET["customer"]
        person_id = scope_for(request.user).person_id
        if person_id:
            initial["rep"] = person_id
        form = VisitForm(initial=initial, user=request.user)
    context = _visit_context(form)
    context["title"] = _("Log a visit")
    return render(request, "sales/visit_form.html", context)


class VisitDetail(ScopedDetailView):
    """A visit: who, where, when, contacts met, purpose and checklist, outcome, next step."""

    model = Visit
    template_name = "sales/visit_detail.html"
    context_object_name = "visit"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(selectors.visit_detail(visit=self.object))
        context["can_edit"] = can_write(self.request.user, self.object)
        return context


class VisitEdit(RecordWriteMixin, ScopedUpdateView):
    """Edit a visit with the same form as logging one."""

    model = Visit
    form_class = VisitForm
    template_name = "sales/visit_form.html"

    def get_initial(self):
        initial = super().get_initial()
        survey = self.object.surveys.order_by("id").first()
        if survey is not None:
            initial["satisfaction"] = str(survey.overall)
            initial["satisfaction_comment"] = survey.comment
        return initial

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs):
        form = kwargs.get("form") or self.get_form()
        context = _visit_context(form, self.object)
        context["title"] = _("Edit visit %(code)s") % {"code": self.object.code}
        return context

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form))

    def form_valid(self, form):
        visit = _visit_from_form(self.object, form, self.request.user)
        if not can_write(self.request.user, visit):
            raise PermissionDenied
        try:
            with transaction.atomic():  # the visit and its survey, or neither
                services.visit_save(
                    visit=visit,
                    contacts=form.cleaned_data["contacts"],
                    checklist=form.checklist(),
                    actor=self.request.user,
                )
                _visit_survey_save(visit, form, self.request.user)
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, _("Visit saved: %(code)s") % {"code": visit.code})
        return redirect(visit.get_absolute_url())


@login_required
@require_GET
def visit_customer_search(request: HttpRequest) -> HttpResponse:
    """htmx: a short list of customers in scope matching `q`, to pick one for the visit."""
    customers = selectors.customer_search(user=request.user, term=request.GET.get("q", ""))
    return render(request, "sales/_customer_results.html", {"customers": customers})


@login_required
@require_GET
def visit_customer_pick(request: HttpRequest) -> HttpResponse:
    """htmx: the picked customer (hidden input) and the checkboxes of its contacts still there
    on the visit date (a new date asks again, keeping the ticked ones)."""
    if not request.GET.get("customer"):
        return HttpResponse(status=204)  # a date changed before a customer was picked
    form = VisitForm(request.GET, user=request.user)
    customer = form.chosen_customer()
    if customer is None:
        raise Http404
    context = {
        "customer": customer,
        "contacts": form.offered_contacts(),
        "selected_contacts": {str(pk) for pk in form.chosen_contact_ids()},
    }
    return render(request, "sales/_customer_pick_response.html", context)


@login_required
@require_GET
def visit_checklist(request: HttpRequest) -> HttpResponse:
    """htmx: the checklist of the chosen visit purpose."""
    try:
        purpose = VisitPurpose.objects.visible_to(request.user).filter(
            pk=int(request.GET.get("purpose_type", ""))
        )
        purpose = purpose.first()
    except ValueError:
        purpose = None
    return render(request, "sales/_checklist.html", {"checklist": _checklist_rows(purpose)})


# --- expenses ----------------------------------------------------------------------------------


class ExpenseDetail(ScopedDetailView):
    """An expense."""

    model = Expense
    template_name = "sales/expense_detail.html"
    context_object_name = "expense"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = can_write(self.request.user, self.object)
        return context


def _expense_from_form(expense: Expense, form: ExpenseForm, user) -> Expense:
    data = form.cleaned_data
    if "rep" in form.fields:
        expense.rep = data["rep"]
    elif expense.rep_id is None:
        expense.rep_id = scope_for(user).person_id
    expense.expense_date = data["expense_date"]
    expense.category = data["category"]
    expense.amount = data["amount"]
    return expense


class ExpenseEdit(ServiceFormMixin, ScopedUpdateView):
    """Edit an expense."""

    model = Expense
    form_class = ExpenseForm
    template_name = "sales/record_form.html"
    context_object_name = "expense"
    title = gettext_lazy("Edit expense")

    def save(self, form):
        expense = _expense_from_form(self.object, form, self.request.user)
        if not can_write(self.request.user, expense):
            raise PermissionDenied
        services.expense_save(instance=expense, actor=self.request.user)


@login_required
def expense_add(request: HttpRequest) -> HttpResponse:
    """Add an expense (a rep adds their own)."""
    if not can_create(request.user, Expense):
        raise PermissionDenied
    if request.method == "POST":
        form = ExpenseForm(request.POST, user=request.user)
        if form.is_valid():
            expense = _expense_from_form(Expense(), form, request.user)
            if not can_write(request.user, expense):
                raise PermissionDenied
            try:
                services.expense_save(instance=expense, actor=request.user)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Expense added."))
                return redirect(expense.get_absolute_url())
    else:
        initial = {"rep": scope_for(request.user).person_id}
        form = ExpenseForm(initial=initial, user=request.user)
    context = {"form": form, "title": _("Add an expense"), "cancel_href": reverse("sales:expenses")}
    return render(request, "sales/record_form.html", context)
