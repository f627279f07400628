"""Pages of scorecards and the team period report."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from salesorg.core.exports import xlsx_append, xlsx_bytes, xlsx_download, xlsx_workbook
from salesorg.core.hygiene import id_param
from salesorg.core.money import XLSX_MONEY_FORMAT
from salesorg.core.views import ScopedDetailView
from salesorg.org.models import Team
from salesorg.performance.charts.tables import DashboardNotFound
from salesorg.performance.choices import COLUMNS, Level
from salesorg.performance.forms import ReopenForm, ScorecardComputeForm
from salesorg.performance.kpi.attribution import TEAM
from salesorg.performance.kpi.indicators import indicator_table
from salesorg.performance.kpi.periods import period_heading, period_progress
from salesorg.performance.kpi.to_date import rows_to_date
from salesorg.performance.models import (
    SalesMeeting,
    Scorecard,
    ScorecardPeriod,
)
from salesorg.performance.permissions import can_manage_scorecards
from salesorg.performance.selectors.dashboards import dashboard_build
from salesorg.performance.selectors.meetings import report_meeting_items
from salesorg.performance.selectors.scorecards import (
    period_bounds,
    period_scorecards,
    provisional_as_of,
    scorecard_lines,
)
from salesorg.performance.services.scorecards import (
    scorecards_close,
    scorecards_compute,
    scorecards_reopen,
)
from salesorg.performance.views.errors import flash_errors, form_errors


@login_required
def scorecard_period_list(request):
    """The scored periods, newest first; director/admin compute a period here."""
    periods = ScorecardPeriod.objects.visible_to(request.user).select_related("policy")
    page = Paginator(periods.order_by("-start", "kind"), 25).get_page(request.GET.get("page"))
    can_manage = can_manage_scorecards(request.user)
    form = ScorecardComputeForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                scored = scorecards_compute(
                    actor=request.user,
                    kind=form.cleaned_data["kind"],
                    start=form.cleaned_data["start"],
                )
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, _("Scorecards computed."))
                return redirect(scored.get_absolute_url())
    return render(
        request,
        "performance/scorecard_period_list.html",
        {"page": page, "form": form, "can_manage": can_manage},
    )


def scorecards_xlsx(*, period: ScorecardPeriod, cards) -> bytes:
    """The scorecard table on screen as an Excel workbook."""
    workbook = xlsx_workbook()
    sheet = workbook.active
    sheet.title = _("Scorecards")[:31]
    as_of = provisional_as_of(scored=period)
    if as_of is not None:
        xlsx_append(sheet, [provisional_note(as_of)])
    xlsx_append(
        sheet,
        [
            _("Rank in company"),
            _("Rank in team"),
            _("Code"),
            _("Name"),
            _("Team"),
            _("Total score"),
            _("Bonus factor"),
            _("Bonus"),
        ],
    )
    formats = {5: "0.0000", 7: XLSX_MONEY_FORMAT}
    for card in cards:
        xlsx_append(
            sheet,
            [
                card.rank_company,
                card.rank_team,
                card.person.code,
                card.person.name,
                card.team.name if card.team else "",
                card.total_score,
                card.bonus_factor,
                card.bonus,
            ],
            formats,
        )
    return xlsx_bytes(workbook)


def provisional_note(as_of) -> str:
    """The line that marks scorecards of a period not yet ended, on pages and exports."""
    return _(
        "Provisional: computed on %(date)s before the period ended; achievement is scored "
        "against the target due to that day."
    ) % {"date": as_of.isoformat()}


class ScorecardPeriodDetail(ScopedDetailView):
    """A period's scorecard table: the rows the viewer may see; ?team= filters; xlsx."""

    model = ScorecardPeriod
    template_name = "performance/scorecard_period_detail.html"
    context_object_name = "scored"

    def _team_id(self) -> int | None:
        return id_param(self.request.GET, "team")

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if request.GET.get("format") == "xlsx":
            cards = period_scorecards(
                period=self.object, user=request.user, team_id=self._team_id()
            )
            body = scorecards_xlsx(period=self.object, cards=cards)
            name = f"scorecards-{self.object.kind}-{self.object.start.isoformat()}"
            return xlsx_download(f"{name}.xlsx", body)
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        team_id = self._team_id()
        cards = list(period_scorecards(period=self.object, user=user, team_id=team_id))
        context.update(
            cards=cards,
            team_id=team_id,
            teams=Team.objects.visible_to(user).order_by("code"),
            can_manage=can_manage_scorecards(user),
            provisional=_provisional(self.object),
            reopen_form=ReopenForm(),
            reopenings=self.object.reopenings.select_related("reopened_by"),
        )
        return context


class ScorecardDetail(ScopedDetailView):
    """One person's scorecard: each indicator's value, band and points."""

    model = Scorecard
    template_name = "performance/scorecard_detail.html"
    context_object_name = "card"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["lines"] = scorecard_lines(scorecard=self.object)
        context["scored"] = self.object.period
        context["provisional"] = _provisional(self.object.period)
        return context


def _provisional(scored: ScorecardPeriod) -> str:
    as_of = provisional_as_of(scored=scored)
    return provisional_note(as_of) if as_of is not None else ""


@login_required
@require_POST
def scorecard_close(request, period_id: int):
    """Close (freeze) a period."""
    scored = get_object_or_404(ScorecardPeriod.objects.visible_to(request.user), pk=period_id)
    try:
        scorecards_close(actor=request.user, period=scored)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The period is closed; its scorecards are frozen."))
    return redirect(scored.get_absolute_url())


@login_required
@require_POST
def scorecard_reopen(request, period_id: int):
    """Reopen a closed period, with a reason (director/admin)."""
    scored = get_object_or_404(ScorecardPeriod.objects.visible_to(request.user), pk=period_id)
    try:
        scorecards_reopen(actor=request.user, period=scored, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The period is open again."))
    return redirect(scored.get_absolute_url())


@login_required
@require_POST
def scorecard_recompute(request, period_id: int):
    """Compute an open period again from the current data."""
    scored = get_object_or_404(ScorecardPeriod.objects.visible_to(request.user), pk=period_id)
    try:
        scorecards_compute(actor=request.user, kind=scored.kind, start=scored.start)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Scorecards computed."))
    return redirect(scored.get_absolute_url())


@login_required
def period_report(request, team_id: int):
    """A printable page for a team and period: indicators, scorecards, meeting minutes; the
    figures of the people whose records the viewer sees (a rep their own: README, scoping).

    The period is `?kind=month|quarter|year&start=YYYY-MM-DD` (default: last month).
    """
    team = get_object_or_404(Team.objects.visible_to(request.user), pk=team_id)
    form = ScorecardComputeForm(request.GET or None)
    today = timezone.localdate()
    last_month_end = today.replace(day=1) - timedelta(days=1)
    kind, start = "month", last_month_end.replace(day=1)
    if form.is_bound and form.is_valid():
        kind, start = form.cleaned_data["kind"], form.cleaned_data["start"].replace(day=1)
    bounds = period_bounds(kind=kind, start=start)
    table = indicator_table(start=bounds.start, end=bounds.end, level=Level.ALL, user=request.user)
    member_codes = set(
        team.memberships.filter(start_date__lte=bounds.end)
        .exclude(end_date__lt=bounds.start)
        .values_list("person__code", flat=True)
    )
    rows = [
        row
        for row in table.rows
        if (row.level == Level.PERSON and row.code in member_codes)
        or (row.level == Level.TEAM and row.code == team.code)
    ]
    scored = (
        ScorecardPeriod.objects.visible_to(request.user)
        .filter(kind=kind, start=bounds.start)
        .select_related("policy")
        .first()
    )
    cards = (
        list(period_scorecards(period=scored, user=request.user, team_id=team.pk)) if scored else []
    )
    meetings = list(
        SalesMeeting.objects.visible_to(request.user)
        .filter(team=team, period_start__lte=bounds.end, period_end__gte=bounds.start)
        .select_related("chaired_by")
        .order_by("held_on", "id")
    )
    for meeting in meetings:  # a rep: their own items (the meeting page has everyone's)
        meeting.agenda = report_meeting_items(meeting=meeting, user=request.user)
    columns = [c for c in COLUMNS if c.name in REPORT_COLUMNS]
    # A period that has not ended is also judged against its targets due to date.
    progress = period_progress(bounds, today=today)
    if progress.running:
        rows = rows_to_date(rows=rows, progress=progress)
    try:
        charts = dashboard_build(
            user=request.user,
            slug="achievement",
            level=TEAM,
            unit_id=team.pk,
            year=bounds.start.year,
            today=today,
        ).charts
    except DashboardNotFound:  # the team has no figures the viewer may see that year
        charts = []
    return render(
        request,
        "performance/period_report.html",
        {
            "team": team,
            "form": form,
            "kind": kind,
            "bounds": bounds,
            "rows": rows,
            "columns": columns,
            "scored": scored,
            "cards": cards,
            "meetings": meetings,
            "charts": charts,
            "running": progress if progress.running else None,
            "period_heading": period_heading(bounds, today=today),
            "provisional": _provisional(scored) if scored else "",
        },
    )


REPORT_COLUMNS = frozenset(
    {
        "sales",
        "sales_target",
        "sales_achievement",
        "gross_margin",
        "gm_achievement",
        "collection_rate",
        "visits_per_workday",
        "customers",
        "new_customers",
        "industries",
        "focus_share",
    }
)
