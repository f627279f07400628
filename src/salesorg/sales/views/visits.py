"""Pages of visits: the list, logging and editing a visit (phone-first), its htmx pickers."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from salesorg.core.listing import ListFilter, ListPage, date_param, list_response
from salesorg.core.scoping import scope_for
from salesorg.core.views import ScopedDetailView, ScopedUpdateView
from salesorg.sales import selectors, services
from salesorg.sales.choices import VisitKind
from salesorg.sales.forms import VisitForm
from salesorg.sales.models import Visit, VisitPurpose
from salesorg.sales.permissions import can_create, can_write
from salesorg.sales.selectors import check_ins
from salesorg.sales.services import visit_sync
from salesorg.sales.views.records import RecordWriteMixin
from salesorg.work.permissions import can_follow_up


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
    kept = selectors.visit_kept_answers(visit=visit) if visit is not None else []
    if kept and purpose != visit.purpose_type:
        kept = []  # another purpose chosen: its current checklist is asked
    return {
        "form": form,
        "visit": visit,
        "customer": customer,
        "contacts": contacts,
        "selected_contacts": selected,
        "checklist": [] if kept else _checklist_rows(purpose, data, visit),
        "kept_answers": kept,
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


def _visit_save(visit: Visit, form: VisitForm, user) -> None:
    """Save the visit with its contacts, checklist, satisfaction survey (S4) and follow-up,
    or none of them."""
    services.visit_save_with_survey(
        visit=visit,
        contacts=form.cleaned_data["contacts"],
        checklist=form.checklist(),
        survey=services.SurveyAnswer(
            overall=form.cleaned_data.get("satisfaction"),
            comment=form.cleaned_data.get("satisfaction_comment", ""),
        ),
        actor=user,
        follow_up_on=form.cleaned_data.get("follow_up_on"),
        check_in=form.sent_check_in(),
    )


def _sync_refusal(status: int, errors: dict[str, list[str]], form: VisitForm | None = None):
    """A queued visit refused: {"detail": [{"loc", "label", "msg"}]} naming each field."""
    detail = []
    for name, messages_ in errors.items():
        field = form.fields.get(name) if form is not None else None
        label = str(field.label) if field is not None and field.label else ""
        detail += [{"loc": ["form", name], "label": label, "msg": str(m)} for m in messages_]
    return JsonResponse({"detail": detail}, status=status)


def _sync_saved(visit: Visit, created: bool) -> JsonResponse:
    return JsonResponse(
        {"id": visit.pk, "code": visit.code, "url": visit.get_absolute_url()},
        status=201 if created else 200,
    )


def _client_key(request: HttpRequest) -> UUID | None:
    """The idempotency key the phone sent with the visit (`client_key`), if any."""
    raw = request.POST.get("client_key", "").strip()
    if not raw:
        return None
    try:
        return UUID(raw)
    except ValueError:
        raise ValidationError({"client_key": [_("Not a valid key.")]}) from None


@login_required
def visit_log(request: HttpRequest) -> HttpResponse:
    """Log a visit: the phone-first form with customer search, contacts and checklist.

    A visit sent from the phone's offline queue (header `X-Visit-Sync: 1`) is answered in JSON:
    201 saved, 200 already saved under its `client_key`, 400/403 refused naming the field, 409
    left for the user who saved it on the phone (`queued_by`) if someone else is logged in.
    """
    sync = request.headers.get("X-Visit-Sync") == "1"
    if not can_create(request.user, Visit):
        if sync:
            return _sync_refusal(403, {"customer": [_("You may not log visits.")]})
        raise PermissionDenied
    if request.method == "POST":
        queued_by = request.POST.get("queued_by", "")
        if queued_by and queued_by != str(request.user.pk):
            # Saved on this phone by someone else who has since logged out: it waits for them.
            message = _("This visit was saved on this phone by another user.")
            if sync:
                return _sync_refusal(409, {"queued_by": [message]})
            messages.error(request, message)
            return redirect("sales:visit_log")
        try:
            client_key = _client_key(request)
            saved = client_key and visit_sync.visit_saved_under(
                client_key=client_key, actor=request.user
            )
        except ValidationError as error:
            if sync:
                return _sync_refusal(400, error.message_dict)
            client_key, saved = None, None
        if saved:  # a resend of a visit already saved
            return _sync_saved(saved, False) if sync else redirect(saved.get_absolute_url())
        form = VisitForm(request.POST, user=request.user)
        if form.is_valid():
            visit = _visit_from_form(Visit(), form, request.user)
            if not can_write(request.user, visit):
                if sync:
                    return _sync_refusal(403, {"rep": [_("You may not log this rep's visits.")]})
                raise PermissionDenied
            try:
                if client_key:
                    visit, created = visit_sync.visit_save_once(
                        visit=visit,
                        client_key=client_key,
                        actor=request.user,
                        save=lambda v: _visit_save(v, form, request.user),
                    )
                else:
                    _visit_save(visit, form, request.user)
                    created = True
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                if sync:
                    return _sync_saved(visit, created)
                if created:
                    messages.success(request, _("Visit saved: %(code)s") % {"code": visit.code})
                return redirect(visit.get_absolute_url())
        if sync:
            return _sync_refusal(400, form.errors, form)
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
        context["check_in"] = check_ins.visit_check_in(visit=self.object)
        context["can_edit"] = can_write(self.request.user, self.object)
        context["can_follow_up"] = can_follow_up(self.request.user, self.object)
        return context


class VisitEdit(RecordWriteMixin, ScopedUpdateView):
    """Edit a visit with the same form as logging one."""

    model = Visit
    form_class = VisitForm
    template_name = "sales/visit_form.html"

    def get_initial(self):
        initial = super().get_initial()
        survey = selectors.visit_survey(visit=self.object)
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
            _visit_save(visit, form, self.request.user)
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
