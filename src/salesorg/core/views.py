"""Shared views: scoped base views, the home page, the health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import connection
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, UpdateView

from salesorg.core.registry import home_context_for
from salesorg.core.reminders import reminders_for
from salesorg.core.roles import home_template_for, person_of, role_of


class ScopedObjectMixin(LoginRequiredMixin):
    """Look the page's object up in the user's scope: hidden objects are 404.

    Views set `model`; they may not override `get_queryset`, so no page that shows
    or edits one object can forget the scope (the scoping matrix test relies on it).
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "get_queryset" in cls.__dict__:
            raise TypeError(f"{cls.__name__} must not override get_queryset (scoping)")

    model: type[Model]  # set by each view
    request: HttpRequest

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)  # type: ignore[attr-defined]


class ScopedDetailView(ScopedObjectMixin, DetailView):
    """A detail page of one object in the user's scope."""


class ScopedUpdateView(ScopedObjectMixin, UpdateView):
    """An edit page of one object in the user's scope (writes go through a service)."""


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The home page of the logged-in user's role, from the parts the apps register."""
    person, role = person_of(request.user), role_of(request.user)
    reminders = reminders_for(request.user)
    context = {"person": person, "reminders": reminders}
    context.update(
        home_context_for(
            user=request.user,
            person=person,
            role=role,
            today=timezone.localdate(),
            reminders=reminders,
        )
    )
    return render(request, home_template_for(request.user), context)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers: {"status": "ok"}."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy", never a 500 page
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})
