"""Pages of handovers: a leaver's records and their successors, and the daily leaver check."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from salesorg.development import permissions
from salesorg.development.forms.handover import HandoverForm
from salesorg.development.models import HandoverKind
from salesorg.development.selectors import handover as handover_selectors
from salesorg.development.services.handover import handover_apply
from salesorg.org.models import Person


@login_required
def handover(request: HttpRequest, person_id: int) -> HttpResponse:
    """What a leaver still holds, per kind, with a successor to choose for each."""
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=person_id)
    if not permissions.can_hand_over(request.user, person):
        raise PermissionDenied
    today = timezone.localdate()
    holdings = handover_selectors.holdings_of(user=request.user, person=person)
    counts = handover_selectors.holding_counts(user=request.user, person=person)
    kinds = [kind for kind in HandoverKind.values if counts[kind]]
    candidates = handover_selectors.successor_candidates(
        user=request.user, person=person, today=today
    )
    form = HandoverForm(request.POST or None, candidates=candidates, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        try:
            handover_apply(
                person=person, actor=request.user, successors=form.successors(), today=today
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Handover done; each successor has an action item."))
            return redirect("development:handover", person_id=person.pk)
    sections = [
        {
            "kind": kind,
            "label": HandoverKind(kind).label,
            "count": counts[kind],
            "records": holdings[kind],
            "field": form[kind],
        }
        for kind in kinds
    ]
    context = {
        "person": person,
        "form": form,
        "sections": sections,
        "has_left": bool(person.leave_date and person.leave_date < today),
        "done": list(handover_selectors.handovers_of(user=request.user, person=person)),
    }
    return render(request, "development/handover.html", context)


@login_required
def leaver_check(request: HttpRequest) -> HttpResponse:
    """The daily check: records still held by people who have left or are leaving."""
    if not permissions.can_check_leavers(request.user):
        raise PermissionDenied
    rows = handover_selectors.leavers_holding(user=request.user, today=timezone.localdate())
    context = {"rows": rows, "kinds": HandoverKind.choices}
    return render(request, "development/leaver_check.html", context)
