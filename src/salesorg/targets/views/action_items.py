"""Pages of action items: the list, one item, and its status."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from salesorg.core.redirects import safe_next
from salesorg.core.views import ScopedDetailView
from salesorg.targets.choices import ActionStatus
from salesorg.targets.models import ActionItem
from salesorg.targets.selectors import action_items as action_item_selectors
from salesorg.work.actions import action_item_set_status
from salesorg.work.permissions import can_change_action_item


@login_required
def action_item_list(request):
    """Action items the user may see: open ones first by due date; ?status= filters."""
    status = request.GET.get("status", ActionStatus.OPEN)
    items = action_item_selectors.action_item_list(user=request.user, status=status)
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "targets/action_item_list.html",
        {
            "page": page,
            "status": status,
            "statuses": ActionStatus.choices,
            "today": timezone.localdate(),
        },
    )


class ActionItemDetail(ScopedDetailView):
    model = ActionItem
    template_name = "targets/action_item_detail.html"
    context_object_name = "item"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_change"] = can_change_action_item(self.request.user, self.object)
        context["today"] = timezone.localdate()
        return context


@login_required
@require_POST
def action_item_status(request, item_id: int):
    """Mark an action item done, cancelled or open again."""
    item = get_object_or_404(ActionItem.objects.visible_to(request.user), pk=item_id)
    try:
        action_item_set_status(
            item=item,
            status=request.POST.get("status", ""),
            actor=request.user,
            result=request.POST.get("result", ""),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Action item updated."))
    return redirect(safe_next(request, item.get_absolute_url()))
