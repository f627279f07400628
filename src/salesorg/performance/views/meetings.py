"""Pages of sales meetings (S13): list, create with the agenda, causes, minutes."""

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

from salesorg.core.views import ScopedDetailView
from salesorg.performance.forms import MeetingForm, MeetingItemForm, MinutesForm
from salesorg.performance.kpi.periods import this_month
from salesorg.performance.models import MeetingItem, SalesMeeting
from salesorg.performance.permissions import can_run_meeting
from salesorg.performance.selectors.meetings import (
    agenda_as_of,
    carried_actions,
    meetable_teams,
    meeting_items,
    meeting_owners,
    previous_meeting,
)
from salesorg.performance.services.meetings import (
    meeting_create,
    meeting_item_record,
    meeting_minutes_save,
)
from salesorg.performance.views.errors import flash_errors, form_errors
from salesorg.work.selectors import action_items_openable


@login_required
def meeting_list(request):
    """The meetings of the teams the user sees, newest first."""
    meetings = (
        SalesMeeting.objects.visible_to(request.user)
        .select_related("team", "chaired_by")
        .order_by("-held_on", "-id")
    )
    page = Paginator(meetings, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "performance/meeting_list.html",
        {"page": page, "can_create": meetable_teams(user=request.user).exists()},
    )


@login_required
def meeting_new(request):
    """Hold a new meeting: the agenda is generated from the period's misses."""
    teams = meetable_teams(user=request.user)
    if not teams.exists():
        raise PermissionDenied
    today = timezone.localdate()
    last_month = this_month(today=today.replace(day=1) - timedelta(days=1))
    initial = {"period_start": last_month.start, "period_end": last_month.end, "held_on": today}
    form = MeetingForm(request.POST or None, initial=initial, teams=teams)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = meeting_create(
                actor=request.user,
                team=data["team"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                held_on=data["held_on"],
                title=data["title"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Meeting created with its agenda."))
            return redirect(meeting.get_absolute_url())
    return render(request, "performance/meeting_form.html", {"form": form})


class MeetingDetail(ScopedDetailView):
    """A meeting: carried-over open actions, the agenda with causes, the minutes."""

    model = SalesMeeting
    template_name = "performance/meeting_detail.html"
    context_object_name = "meeting"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.object
        can_run = can_run_meeting(self.request.user, meeting.team)
        items = meeting_items(meeting=meeting)
        if can_run:
            owners = meeting_owners(meeting=meeting)
            owner_choices = [("", "—"), *((person.pk, str(person)) for person in owners)]
            for item in items:
                item.form = MeetingItemForm(
                    prefix=f"item{item.pk}",
                    owners=owners,
                    initial={
                        "cause_category": item.cause_category,
                        "cause": item.cause,
                        "countermeasure": item.countermeasure,
                        "owner": item.person_id,
                    },
                )
                item.form.fields["owner"].choices = owner_choices  # one query for all items
        carried = carried_actions(meeting=meeting)
        shown = [action.pk for item in items for action in item.actions]
        shown += [action.pk for action in carried]
        context.update(
            items=items,
            can_run=can_run,
            carried=carried,
            openable=action_items_openable(user=self.request.user, ids=shown),
            previous=previous_meeting(meeting=meeting),
            minutes_form=MinutesForm(initial={"minutes": meeting.minutes}),
            agenda_as_of=agenda_as_of(meeting=meeting),
            today=timezone.localdate(),
        )
        return context


@login_required
@require_POST
def meeting_item_save(request, item_id: int):
    """Record an agenda item's cause and countermeasure (→ an action item)."""
    item = get_object_or_404(
        MeetingItem.objects.visible_to(request.user).select_related("meeting", "person"),
        pk=item_id,
    )
    form = MeetingItemForm(
        request.POST, prefix=f"item{item.pk}", owners=meeting_owners(meeting=item.meeting)
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            meeting_item_record(
                actor=request.user,
                item=item,
                cause_category=data["cause_category"],
                cause=data["cause"],
                countermeasure=data["countermeasure"],
                owner=data["owner"],
                due_date=data["due_date"],
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("Cause and countermeasure recorded."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
    return redirect(item.get_absolute_url())


@login_required
@require_POST
def meeting_minutes(request, meeting_id: int):
    """Save the minutes of a meeting."""
    meeting = get_object_or_404(SalesMeeting.objects.visible_to(request.user), pk=meeting_id)
    form = MinutesForm(request.POST)
    if form.is_valid():
        try:
            meeting_minutes_save(
                actor=request.user, meeting=meeting, minutes=form.cleaned_data["minutes"]
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("Minutes saved."))
    return redirect(meeting.get_absolute_url())
