"""Edit pages of sales and customer records: found in scope (404), the write right checked (403)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.forms.models import model_to_dict
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from salesorg.sales.permissions import can_write


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
