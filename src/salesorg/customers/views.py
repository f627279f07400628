"""Pages of customers: a list and a simple customer page with contacts and latest records."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from salesorg.core.views import ScopedDetailView
from salesorg.customers import selectors
from salesorg.customers.models import Customer
from salesorg.sales.models import Visit
from salesorg.sales.permissions import can_create

PAGE_SIZE = 50


@login_required
def customer_list(request: HttpRequest) -> HttpResponse:
    """Customers in scope: search, industry, sort, paginate, export what is on screen."""
    search = request.GET.get("q", "").strip()
    industry = request.GET.get("industry", "")
    sort = request.GET.get("sort", "code")
    customers = selectors.customer_list(
        user=request.user, search=search, industry=industry, sort=sort
    )
    if request.GET.get("format") == "csv":
        return _customers_csv(customers)
    page = Paginator(customers, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "search": search,
        "industry": industry,
        "industries": selectors.customer_industries(user=request.user),
        "sort": sort,
    }
    template = "customers/_customer_table.html" if request.htmx else "customers/customer_list.html"
    return render(request, template, context)


def _customers_csv(customers) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="customers.csv"'
    response.write("\ufeff")  # so that Excel opens UTF-8 Chinese names correctly
    writer = csv.writer(response)
    header = [_("Code"), _("Name"), _("Industry"), _("Region"), _("Owner"), _("Created date")]
    writer.writerow([*header, _("Credit limit")])
    for customer in customers:
        writer.writerow(
            [
                customer.code,
                customer.name,
                customer.industry,
                customer.region.code if customer.region else "",
                customer.owner.code,
                customer.created_date.isoformat(),
                "" if customer.credit_limit is None else str(customer.credit_limit),
            ]
        )
    return response


class CustomerDetail(ScopedDetailView):
    """A customer's page: owner, contacts, latest orders, invoices and visits."""

    model = Customer
    template_name = "customers/customer_detail.html"
    context_object_name = "customer"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["contacts"] = selectors.customer_contacts(user=user, customer=self.object)
        context.update(selectors.customer_records(user=user, customer=self.object))
        context["can_log_visit"] = can_create(user, Visit)
        return context
