"""Pages of corporate culture: the vision and values, the incentive policy in force and
recognition posts (thin: they call the culture services and selectors)."""

from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from salesorg.development import permissions
from salesorg.development.forms.culture import CultureForm, RecognitionForm
from salesorg.development.markup import render_markdown
from salesorg.development.selectors import culture as culture_selectors
from salesorg.development.selectors.onboarding import published_incentive_policy
from salesorg.development.services import culture as culture_services
from salesorg.development.views.common import renamed_errors
from salesorg.org.models import Team

PAGE_SIZE = 30


@login_required
def culture_page(request: HttpRequest) -> HttpResponse:
    """Vision and values, the incentive policy in force, and recognition posts."""
    page = culture_selectors.culture_page()
    posts = Paginator(culture_selectors.recognition_list(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "culture": page,
        "vision_html": render_markdown(page.vision),
        "values_html": render_markdown(page.values),
        "policy": published_incentive_policy(user=request.user, today=timezone.localdate()),
        "page": posts,
        "can_edit": permissions.can_edit_culture(request.user),
        "can_praise": permissions.can_praise(request.user),
    }
    return render(request, "development/culture.html", context)


@login_required
def culture_edit(request: HttpRequest) -> HttpResponse:
    """Change the vision and values (director, admin); earlier versions stay in history."""
    if not permissions.can_edit_culture(request.user):
        raise PermissionDenied
    page = culture_selectors.culture_page()
    form = CultureForm(request.POST or None, initial={"vision": page.vision, "values": page.values})
    if request.method == "POST" and form.is_valid():
        culture_services.culture_page_save(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Vision and values saved."))
        return redirect(reverse("development:culture"))
    context = {"form": form, "history": culture_selectors.culture_page_history()}
    return render(request, "development/culture_form.html", context)


def _linked_record(user, model_label: str, code: str):
    if not code:
        return None
    model = apps.get_model(model_label)
    return model.objects.visible_to(user).filter(code=code.strip()).first() or False


@login_required
def recognition_create(request: HttpRequest) -> HttpResponse:
    """Praise a person for a result (managers for their people; director, admin)."""
    if not permissions.can_praise(request.user):
        raise PermissionDenied
    people = culture_selectors.praisable_people(user=request.user, today=timezone.localdate())
    initial = {"person": request.GET["person"]} if request.GET.get("person", "").isdigit() else {}
    form = RecognitionForm(request.POST or None, people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        links = {
            "order": _linked_record(request.user, "sales.Order", data["order_code"]),
            "visit": _linked_record(request.user, "sales.Visit", data["visit_code"]),
            "customer": _linked_record(request.user, "customers.Customer", data["customer_code"]),
        }
        unknown = [name for name, record in links.items() if record is False]
        for name in unknown:
            form.add_error(f"{name}_code", _("Unknown record, or outside your scope."))
        if not unknown:
            try:
                culture_services.recognition_create(
                    person=data["person"],
                    title=data["title"],
                    message=data["message"],
                    actor=request.user,
                    **{name: record for name, record in links.items() if record},
                )
                messages.success(
                    request, _("Recognition posted for %(name)s.") % {"name": data["person"].name}
                )
                return redirect(reverse("development:culture"))
            except ValidationError as error:
                form.add_service_errors(
                    renamed_errors(
                        error,
                        {"order": "order_code", "visit": "visit_code", "customer": "customer_code"},
                    )
                )
    return render(request, "development/recognition_form.html", {"form": form})


@login_required
@require_GET
def team_recognitions(request: HttpRequest, team_id: int) -> HttpResponse:
    """The recognition posts of one team (a fragment for the team's page)."""
    team = get_object_or_404(Team.objects.visible_to(request.user), pk=team_id)
    posts = list(culture_selectors.recognition_list(user=request.user, team=team)[:10])
    context = {"posts": posts, "team": team, "can_praise": permissions.can_praise(request.user)}
    return render(request, "development/_team_recognitions.html", context)
