"""The notification centre: a person's own notifications, marking them read, and their
notification preferences (digest time and language, kinds turned off)."""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from salesorg.core.digest import digest_address, mail_enabled
from salesorg.core.notification_forms import NotificationIdForm, NotificationPreferenceForm
from salesorg.core.notifications import (
    KINDS,
    kind_label,
    notification_language_set,
    notification_list,
    notification_mark_read,
    notification_preference_of,
    notification_preference_save,
    notifications_mark_all_read,
    notifications_refresh,
)

PAGE_SIZE = 30
REFRESH_EVERY_SECONDS = 300
REFRESHED_KEY = "notifications_refreshed_at"


def _own_notification(request: HttpRequest, data):
    form = NotificationIdForm(data)
    if not form.is_valid():
        raise Http404
    return get_object_or_404(notification_list(user=request.user), pk=form.cleaned_data["id"])


def _refresh_now_and_then(request: HttpRequest) -> None:
    """Bring the user's notifications up to date on opening the centre, at most every few
    minutes (the scheduled job does it for everyone every half hour): the providers cost what
    the home page's reminders cost, once per language."""
    now = time.time()
    if now - request.session.get(REFRESHED_KEY, 0) >= REFRESH_EVERY_SECONDS:
        notifications_refresh(user=request.user)
        request.session[REFRESHED_KEY] = now


@login_required
def notification_centre(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first (brought up to date as the page opens); with
    ?unread=1 only the unread ones still due."""
    _refresh_now_and_then(request)
    rows = notification_list(user=request.user)
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        rows = rows.filter(read_at__isnull=True, resolved_at__isnull=True)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    items = [{"row": row, "kind": kind_label(row.kind)} for row in page.object_list]
    context = {"page": page, "items": items, "unread_only": unread_only}
    return render(request, "notifications/list.html", context)


@login_required
def notification_open(request: HttpRequest) -> HttpResponse:
    """Open a notification's link (?id=N), marking it read."""
    notification = _own_notification(request, request.GET)
    notification_mark_read(notification=notification)
    url = notification.url
    if not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        url = "notifications:list"
    return redirect(url)


@login_required
@require_POST
def notification_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification read (id=N) or all of them (all=1), back to the centre."""
    if request.POST.get("all") == "1":
        count = notifications_mark_all_read(user=request.user)
        text = ngettext(
            "%(count)d notification marked read.", "%(count)d notifications marked read.", count
        )
        messages.success(request, text % {"count": count})
    else:
        notification_mark_read(notification=_own_notification(request, request.POST))
    return redirect("notifications:list")


@login_required
def notification_preferences(request: HttpRequest) -> HttpResponse:
    """Choose the digest's language and time and which kinds of notification come."""
    preference = notification_preference_of(request.user)
    keys = [kind.key for kind in KINDS]
    initial = {
        "language": preference.language,
        "digest": preference.digest,
        "digest_time": preference.digest_time,
        "kinds_on": [key for key in keys if key not in preference.kinds_off],
        "digest_kinds_on": [key for key in keys if key not in preference.digest_kinds_off],
    }
    if preference.pk is None:  # nothing chosen yet: the language the person reads now
        initial["language"] = request.LANGUAGE_CODE
    form = NotificationPreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        notification_preference_save(
            user=request.user,
            language=data["language"],
            digest=data["digest"],
            digest_time=data["digest_time"],
            kinds_off=[key for key in keys if key not in data["kinds_on"]],
            digest_kinds_off=[key for key in keys if key not in data["digest_kinds_on"]],
        )
        messages.success(request, _("Your notification preferences are saved."))
        return redirect("notifications:preferences")
    context = {
        "form": form,
        "mail_enabled": mail_enabled(),
        "email": digest_address(request.user),
    }
    return render(request, "notifications/preferences.html", context)


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Django's language switch, which also makes the chosen language the digest's."""
    response = set_language(request)
    if request.user.is_authenticated and response.status_code == 302:
        notification_language_set(user=request.user, language=request.POST.get("language", ""))
    return response
