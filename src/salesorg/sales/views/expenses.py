"""Pages of expenses: the list, an expense, adding and editing one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from salesorg.core.listing import ListFilter, ListPage, list_response
from salesorg.core.scoping import scope_for
from salesorg.core.views import ScopedDetailView, ScopedUpdateView
from salesorg.sales import selectors, services
from salesorg.sales.forms import (
    ExpenseForm,
)
from salesorg.sales.models import Expense
from salesorg.sales.permissions import can_create, can_write
from salesorg.sales.views.records import ServiceFormMixin


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
