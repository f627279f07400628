"""The customer's location page: set by hand (the first visit checked in sets it otherwise)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from salesorg.core.views import ScopedUpdateView
from salesorg.customers.forms import CustomerLocationForm
from salesorg.customers.models import Customer
from salesorg.customers.services.customers import customer_locate
from salesorg.sales.views.records import RecordWriteMixin


class CustomerLocationEdit(RecordWriteMixin, ScopedUpdateView):
    """Set or correct where a customer is (latitude and longitude)."""

    model = Customer
    form_class = CustomerLocationForm
    template_name = "customers/customer_location_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        return kwargs

    def get_initial(self):
        customer = self.object
        return {
            "latitude": customer.latitude,
            "longitude": customer.longitude,
            "expected_version": customer.version,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Location of %(name)s") % {"name": self.object.name}
        context["customer"] = self.object
        return context

    def form_valid(self, form):
        try:
            customer_locate(
                customer=self.object,
                latitude=form.cleaned_data["latitude"],
                longitude=form.cleaned_data["longitude"],
                actor=self.request.user,
                expected_version=form.cleaned_data["expected_version"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect(self.object.get_absolute_url())
