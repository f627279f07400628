"""Pages of the surveys customers answer themselves (S4): the public survey page a contact
opens from a link (no login), the rep's button that makes a link, and satisfaction with the
would-recommend score (NPS) per team and period."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from salesorg.core.exports import csv_response, xlsx_response
from salesorg.core.ratelimit import client_ip, rate_limited
from salesorg.customers.forms import SatisfactionPeriodForm, SurveyAnswerForm, SurveyLinkForm
from salesorg.customers.models import Customer
from salesorg.customers.selectors.surveys import (
    LinkStatus,
    satisfaction_by_team,
    survey_link_state,
)
from salesorg.customers.services.surveys import (
    SurveyLinkClosed,
    survey_link_answer,
    survey_link_create,
)

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


@require_POST
@login_required
def survey_link_add(request: HttpRequest, customer_id: int) -> HttpResponse:
    """Make a survey link for the customer (the rep copies it from the customer page)."""
    customer = get_object_or_404(Customer.objects.visible_to(request.user), pk=customer_id)
    form = SurveyLinkForm(request.POST, customer=customer)
    target = customer.get_absolute_url() + "#survey-links"
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(target)
    try:
        link, token = survey_link_create(
            customer=customer,
            contact=form.cleaned_data["contact"],
            language=form.cleaned_data["language"],
            actor=request.user,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(target)
    url = request.build_absolute_uri(reverse("customers:survey_answer", args=[token]))
    messages.success(
        request,
        _("Survey link made, open until %(date)s. Copy it and send it to the customer: %(url)s")
        % {"date": timezone.localtime(link.expires_at).strftime("%Y-%m-%d"), "url": url},
    )
    return redirect(target)


def _survey_language(request: HttpRequest, state) -> str:
    """The page's language: the switch on the page, else the link's, else the browser's."""
    chosen = request.GET.get("lang", "")
    if chosen in LANGUAGE_CODES:
        return chosen
    if state.link is not None and state.link.language in LANGUAGE_CODES:
        return state.link.language
    return translation.get_language_from_request(request)


def _closed_page(request: HttpRequest, state, status: int = 200) -> HttpResponse:
    context = {"state": state, "statuses": LinkStatus, "customer_name": _customer_name(state)}
    return render(request, "customers/survey_closed.html", context, status=status)


def _customer_name(state) -> str:
    return state.link.customer.name if state.link is not None else ""


@never_cache
@csrf_protect
def survey_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The public survey page: answered once without a login, before the link expires."""
    state = survey_link_state(token=token)
    with translation.override(_survey_language(request, state)):
        limit = getattr(settings, "SALESORG_SURVEY_RATE_LIMIT", 30)
        if rate_limited(f"survey:{client_ip(request)}", limit=limit, period=60):
            return render(request, "customers/survey_closed.html", {"busy": True}, status=429)
        if not state.is_open:
            return _closed_page(request, state, status=404 if state.link is None else 200)
        form = SurveyAnswerForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                survey_link_answer(
                    token=token,
                    overall=form.cleaned_data["overall"],
                    recommend=form.cleaned_data["recommend"],
                    comment=form.cleaned_data["comment"],
                )
            except SurveyLinkClosed as closed:
                return _closed_page(request, closed.state)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                return render(request, "customers/survey_thanks.html", {})
        context = {
            "form": form,
            "customer_name": _customer_name(state),
            "languages": settings.LANGUAGES,
            "path": request.path,
        }
        return render(request, "customers/survey_answer.html", context)


def _period(request: HttpRequest) -> tuple[SatisfactionPeriodForm, date, date]:
    today = timezone.localdate()
    form = SatisfactionPeriodForm(request.GET or None, today=today)
    start, end = form.period()
    return form, start, end


@login_required
def satisfaction_report(request: HttpRequest) -> HttpResponse:
    """Satisfaction and NPS per team in a chosen period (customers' own answers); export."""
    form, start, end = _period(request)
    report = satisfaction_by_team(user=request.user, start=start, end=end)
    export = request.GET.get("format")
    if export in ("csv", "xlsx"):
        header = [
            _("Team"),
            _("Answers"),
            _("Average satisfaction (1–5)"),
            _("Promoters"),
            _("Passives"),
            _("Detractors"),
            _("NPS"),
            _("Low answers"),
        ]
        rows = [
            [
                row.name or _("No team"),
                row.answers,
                row.satisfaction,
                row.promoters,
                row.passives,
                row.detractors,
                row.nps,
                row.low_answers,
            ]
            for row in [*report.teams, report.total]
        ]
        rows[-1][0] = _("Total")
        name = f"satisfaction-{start.isoformat()}-{end.isoformat()}.{export}"
        if export == "xlsx":
            # averages and NPS are plain numbers, not amounts
            return xlsx_response(name, header, rows, number_formats={2: "0.00", 6: "0.0"})
        return csv_response(name, header, rows)
    context = {"form": form, "report": report, "query": request.GET.urlencode()}
    return render(request, "customers/satisfaction_report.html", context)
