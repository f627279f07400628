"""The page that sets a follow-up (跟进) on a record: here a visit; the customers app sets
them on customers and contacts with the same page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from salesorg.core.views import ScopedDetailView
from salesorg.sales.forms import FollowUpForm
from salesorg.sales.models import Visit
from salesorg.sales.views.records import RecordWriteMixin
from salesorg.targets.models import ActionItem
from salesorg.work.actions import follow_up_create
from salesorg.work.permissions import can_follow_up


class FollowUpAdd(RecordWriteMixin, ScopedDetailView):
    """Set a dated follow-up with a reminder on the record (found in scope): the sales force."""

    record_permission = staticmethod(can_follow_up)
    permission_model = ActionItem
    template_name = "sales/follow_up_form.html"

    def initial_title(self) -> str:
        return ""

    def form(self, data=None) -> FollowUpForm:
        return FollowUpForm(data, user=self.request.user, initial={"title": self.initial_title()})

    def render_form(self, form: FollowUpForm):
        context = {
            "form": form,
            "record": self.object,
            "title": _("Follow-up on %(record)s") % {"record": self.object},
            "cancel_href": self.object.get_absolute_url(),
        }
        return render(self.request, self.template_name, context)

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render_form(self.form())

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                follow_up_create(
                    actor=request.user,
                    source=self.object,
                    title=data["title"],
                    due_date=data["due_date"],
                    remind_on=data["remind_on"],
                    owner=data.get("owner"),
                    detail=data["detail"],
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Follow-up saved."))
                return redirect(self.object.get_absolute_url())
        return self.render_form(form)


class VisitFollowUpAdd(FollowUpAdd):
    """Set a follow-up on a visit: it starts from the visit's next step."""

    model = Visit

    def initial_title(self) -> str:
        return self.object.next_step.strip()[:200]
