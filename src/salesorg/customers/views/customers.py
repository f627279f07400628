"""Pages of customers: the list (filters, CSV/Excel), the customer page (360), stakeholders
with their history, rewards, referrals, satisfaction surveys and the care settings."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from salesorg.core.exports import csv_response, xlsx_response
from salesorg.core.views import ScopedDetailView, ScopedUpdateView
from salesorg.customers.choices import ContactStatus, LifecycleStage
from salesorg.customers.forms import ContactForm, ContactLeaveForm
from salesorg.customers.models import (
    Contact,
    Customer,
    Referral,
    Reward,
    SatisfactionSurvey,
)
from salesorg.customers.permissions import (
    can_record_competitor_note,
    can_record_referral,
    can_record_reward,
    can_record_survey,
)
from salesorg.customers.selectors import customers as selectors
from salesorg.customers.selectors.competitors import customer_competitor_notes
from salesorg.customers.selectors.stakeholders import chain_of
from salesorg.customers.selectors.surveys import customer_survey_links
from salesorg.customers.services.customers import contact_leave, contact_save
from salesorg.sales.models import Visit
from salesorg.sales.permissions import can_create, can_write
from salesorg.sales.views.follow_ups import FollowUpAdd
from salesorg.sales.views.records import RecordWriteMixin
from salesorg.work.permissions import can_follow_up

PAGE_SIZE = 50


# --- the list -----------------------------------------------------------------------------------


@login_required
def customer_list(request: HttpRequest) -> HttpResponse:
    """Customers in scope: search, industry, lifecycle, rating, sort, paginate, export."""
    search = request.GET.get("q", "").strip()
    industry = request.GET.get("industry", "")
    lifecycle = request.GET.get("lifecycle", "")
    rating = request.GET.get("rating", "")
    sort = request.GET.get("sort", "code")
    customers = selectors.customer_list(
        user=request.user,
        search=search,
        industry=industry,
        lifecycle=lifecycle,
        rating=rating,
        sort=sort,
    )
    export = request.GET.get("format")
    if export in ("csv", "xlsx"):
        return _customers_export(customers, export)
    page = Paginator(customers, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "search": search,
        "industry": industry,
        "industries": selectors.customer_industries(user=request.user),
        "lifecycle": lifecycle,
        "lifecycle_choices": LifecycleStage.choices,
        "rating": rating,
        "rating_choices": selectors.rating_choices(),
        "sort": sort,
    }
    template = "customers/_customer_table.html" if request.htmx else "customers/customer_list.html"
    return render(request, template, context)


def _customers_export(customers, export: str) -> HttpResponse:
    header = [
        _("Code"),
        _("Name"),
        _("Industry"),
        _("Region"),
        pgettext("responsible person", "Owner"),
        _("Created date"),
        _("Credit limit"),
        _("Lifecycle stage"),
    ]
    rows = (
        [
            customer.code,
            customer.name,
            customer.industry,
            customer.region.code if customer.region else "",
            customer.owner.code,
            customer.created_date if export == "xlsx" else customer.created_date.isoformat(),
            customer.credit_limit,
            customer.get_lifecycle_stage_display(),
        ]
        for customer in customers.iterator(chunk_size=2000)
    )
    if export == "xlsx":
        return xlsx_response("customers.xlsx", header, rows)
    return csv_response("customers.csv", header, rows)


# --- the customer page --------------------------------------------------------------------------


class CustomerDetail(ScopedDetailView):
    """The customer page (360): owner, lifecycle, rating, receivables ageing, sales and
    margin trend, visits, stakeholders, rewards, referrals, satisfaction and open tasks."""

    model = Customer
    template_name = "customers/customer_detail.html"
    context_object_name = "customer"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        customer = self.object
        context.update(selectors.customer_page(user=user, customer=customer))
        context["chain"] = chain_of(context["stakeholders"])  # the short decision chain
        context["chart_data"] = {
            "months": [row["month"] for row in context["trend"]],
            "sales": [str(row["sales"]) for row in context["trend"]],
            "margin": [str(row["gross_margin"]) for row in context["trend"]],
            "surveys": context["survey_points"],
            "labels": {
                "sales": pgettext("money sold", "Sales"),
                "margin": _("Gross margin"),
                "satisfaction": _("Satisfaction"),
            },
        }
        context["can_log_visit"] = can_create(user, Visit)
        context["can_add_contact"] = can_write(user, Contact(customer=customer))
        context["can_add_reward"] = can_record_reward(user, Reward(customer=customer))
        context["can_add_referral"] = can_record_referral(user, Referral(referrer=customer))
        context["can_add_survey"] = can_record_survey(user, SatisfactionSurvey(customer=customer))
        context["survey_links"] = customer_survey_links(user=user, customer=customer)
        context["can_follow_up"] = can_follow_up(user, customer)
        context["can_locate"] = can_write(user, customer)
        context["competitor_notes"] = customer_competitor_notes(user=user, customer=customer)
        if can_record_competitor_note(user, customer):
            query = urlencode({"customer": customer.code})
            context["record_competitor_url"] = f"{reverse('targets:research_new')}?{query}"
        return context


# --- pages that add a record to a customer --------------------------------------------------------


class CustomerRecordAdd(RecordWriteMixin, ScopedDetailView):
    """A form that adds one record to the customer (found in scope; the right checked)."""

    model = Customer
    context_object_name = "customer"
    template_name = "customers/record_form.html"
    form_class = None
    title = ""

    def form(self, data=None):
        return self.form_class(data, customer=self.object, user=self.request.user)

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render_form(self.form())

    def render_form(self, form):
        context = {
            "customer": self.object,
            "form": form,
            "title": self.title,
            "cancel_href": self.object.get_absolute_url(),
            **self.extra_context_for(form),
        }
        return render(self.request, self.template_name, context)

    def extra_context_for(self, form) -> dict:
        return {}

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.form(request.POST)
        if form.is_valid():
            try:
                self.save(form)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Saved."))
                return redirect(self.object.get_absolute_url())
        return self.render_form(form)


class ContactAdd(CustomerRecordAdd):
    """Add a stakeholder to the customer."""

    permission_model = Contact
    title = _("New stakeholder")

    def permission_record(self, obj):
        return Contact(customer=obj)

    def form(self, data=None):
        return ContactForm(data)

    def save(self, form):
        contact = form.apply(Contact(customer=self.object))
        contact_save(instance=contact, actor=self.request.user)


class CustomerFollowUpAdd(FollowUpAdd):
    """Set a follow-up on the customer."""

    model = Customer


# --- stakeholders -------------------------------------------------------------------------------


class ContactDetail(ScopedDetailView):
    """A stakeholder: details, and the history of every change (who, what, when)."""

    model = Contact
    template_name = "customers/contact_detail.html"
    context_object_name = "contact"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["history"] = selectors.contact_history(user=self.request.user, contact=self.object)
        context["can_edit"] = can_write(self.request.user, self.object)
        context["can_follow_up"] = can_follow_up(self.request.user, self.object)
        context["is_active"] = self.object.status == ContactStatus.ACTIVE
        context["can_send_survey"] = context["is_active"] and can_record_survey(
            self.request.user, SatisfactionSurvey(customer_id=self.object.customer_id)
        )
        return context


class ContactEdit(RecordWriteMixin, ScopedUpdateView):
    """Edit a stakeholder (phone-friendly)."""

    model = Contact
    form_class = ContactForm
    template_name = "customers/contact_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        return kwargs

    def get_initial(self):
        initial = {name: getattr(self.object, name) for name in (*ContactForm.FIELDS, "response")}
        return {**initial, "expected_version": self.object.version}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Edit %(name)s") % {"name": self.object.name}
        context["contact"] = self.object
        return context

    def form_valid(self, form):
        try:
            contact_save(
                instance=form.apply(self.object),
                actor=self.request.user,
                expected_version=form.cleaned_data["expected_version"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect(self.object.get_absolute_url())


class ContactLeave(RecordWriteMixin, ScopedUpdateView):
    """Record that a stakeholder left, or who replaced them."""

    model = Contact
    form_class = ContactLeaveForm
    template_name = "customers/contact_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        kwargs["contact"] = self.object
        kwargs["user"] = self.request.user
        return kwargs

    def get_initial(self):
        return {"expected_version": self.object.version}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("%(name)s left or was replaced") % {"name": self.object.name}
        context["contact"] = self.object
        return context

    def form_valid(self, form):
        try:
            contact_leave(
                contact=self.object,
                left_on=form.cleaned_data["left_on"],
                replaced_by=form.cleaned_data["replaced_by"],
                actor=self.request.user,
                expected_version=form.cleaned_data["expected_version"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved. The owner has a follow-up task if needed."))
        return redirect(self.object.get_absolute_url())


class ContactFollowUpAdd(FollowUpAdd):
    """Set a follow-up on a stakeholder."""

    model = Contact

    def initial_title(self) -> str:
        return _("Follow up with %(name)s") % {"name": self.object.name}
