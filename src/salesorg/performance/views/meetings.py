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
    actions_carried_from,
    agenda_has_targets,
    agenda_period_progress,
    agenda_state,
    item_open_action,
    meetable_teams,
    meeting_items,
    meeting_owners,
    next_to_analyse,
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
    """A meeting: progress, carried-over open actions, the agenda (one item's form open at a
    time: `?item=<id>`, else the next to analyse), the minutes."""

    model = SalesMeeting
    template_name = "performance/meeting_detail.html"
    context_object_name = "meeting"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            meeting_context(self.request, self.object, wanted=self.request.GET.get("item"))
        )
        return context


def meeting_context(request, meeting: SalesMeeting, *, wanted=None, form=None) -> dict:
    """What the meeting page shows; `form` is a bound item form to show again with errors."""
    can_run = can_run_meeting(request.user, meeting.team)
    items = meeting_items(meeting=meeting)
    state = agenda_state(items=items, wanted=wanted)
    editing = state.editing if can_run else None
    if editing is not None and form is None:
        action = item_open_action(editing)
        form = MeetingItemForm(
            prefix=f"item{editing.pk}",
            owners=meeting_owners(meeting=meeting),
            initial={
                "cause_category": editing.cause_category,
                "cause": editing.cause,
                "countermeasure": editing.countermeasure,
                "owner": action.owner_id if action else editing.person_id,
                "due_date": action.due_date if action else None,
            },
        )
    if form is not None:  # the owners read once, not counted and then listed
        owners = form.fields["owner"].queryset
        form.fields["owner"].choices = [("", "—"), *((p.pk, str(p)) for p in owners)]
    previous = previous_meeting(meeting=meeting)
    carried = actions_carried_from(last=previous)
    shown = [action.pk for item in items for action in item.actions]
    shown += [action.pk for action in carried]
    return {
        "items": items,
        "agenda": state,
        "editing": editing,
        "item_form": form,
        "can_run": can_run,
        "carried": carried,
        "openable": action_items_openable(user=request.user, ids=shown),
        "previous": previous,
        "minutes_form": MinutesForm(initial={"minutes": meeting.minutes}),
        "prorated": agenda_period_progress(meeting=meeting),
        "whole_months": agenda_has_targets(meeting=meeting),
        "today": timezone.localdate(),
    }


@login_required
@require_POST
def meeting_item_save(request, item_id: int):
    """Record an agenda item's cause and countermeasure (→ an action item), then open the
    next item to analyse; a bad entry is shown again in its form."""
    item = get_object_or_404(
        MeetingItem.objects.visible_to(request.user).select_related("meeting__team", "person"),
        pk=item_id,
    )
    meeting = item.meeting
    if not can_run_meeting(request.user, meeting.team):
        raise PermissionDenied
    form = MeetingItemForm(
        request.POST, prefix=f"item{item.pk}", owners=meeting_owners(meeting=meeting)
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
            form_errors(form, error)
        else:
            messages.success(request, _("Cause and countermeasure recorded."))
            following = next_to_analyse(meeting=meeting)
            anchor = f"#item-{following.pk}" if following else "#agenda"
            return redirect(meeting.get_absolute_url() + anchor)
    context = {"meeting": meeting, "object": meeting}
    context.update(meeting_context(request, meeting, wanted=str(item.pk), form=form))
    return render(request, "performance/meeting_detail.html", context)


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
