"""Pages of the training library, assignments and onboarding (thin: they call the services
and selectors of training and onboarding)."""

from __future__ import annotations

import mimetypes
import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_GET

from salesorg.core.exports import csv_download
from salesorg.core.hygiene import id_param
from salesorg.core.problems import Problems
from salesorg.core.roles import person_of
from salesorg.core.views import ScopedDetailView
from salesorg.development import permissions
from salesorg.development.forms.training import AssignForm, MaterialForm
from salesorg.development.markup import render_markdown
from salesorg.development.models import Assignment, Level, Material, Topic
from salesorg.development.quizzes import quiz_as_text, quiz_parse
from salesorg.development.selectors import training as training_selectors
from salesorg.development.selectors.onboarding import onboarding_live_content
from salesorg.development.services import training as training_services
from salesorg.development.views.common import renamed_errors
from salesorg.org.models import Person, Team

PAGE_SIZE = 30


# --- library ------------------------------------------------------------------------------


@login_required
def material_list(request: HttpRequest) -> HttpResponse:
    """The training library: search, topic and level filters, pages, CSV of what is shown."""
    search = request.GET.get("q", "").strip()
    topic = request.GET.get("topic", "")
    level = request.GET.get("level", "")
    materials = training_selectors.material_list(
        user=request.user, search=search, topic=topic, level=level
    )
    if request.GET.get("format") == "csv":
        return _materials_csv(materials)
    page = Paginator(materials, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "search": search,
        "topic": topic,
        "level": level,
        "topics": Topic.choices,
        "levels": Level.choices,
        "can_edit": permissions.can_edit_library(request.user),
    }
    template = (
        "development/_material_table.html" if request.htmx else "development/material_list.html"
    )
    return render(request, template, context)


def _materials_csv(materials) -> HttpResponse:
    response, writer = csv_download("training-materials.csv")
    writer.writerow(
        [
            _("Code"),
            pgettext("record heading", "Title"),
            _("Topic"),
            pgettext("training material difficulty", "Level"),
            pgettext("time", "Minutes"),
            _("Quiz questions"),
        ]
    )
    for material in materials:
        writer.writerow(
            [
                material.code,
                material.title,
                material.get_topic_display(),
                material.get_level_display(),
                material.estimated_minutes,
                material.question_count,
            ]
        )
    return response


def _material_context(request, material: Material, person: Person | None) -> dict:
    questions = training_selectors.quiz_questions(material=material)
    return {
        "material": material,
        "body_html": render_markdown(material.body),
        "question_count": len(questions),
        "live": onboarding_live_content(user=request.user, material=material, person=person),
        "attachment_name": os.path.basename(material.attachment.name)
        if material.attachment
        else "",
    }


class MaterialDetail(ScopedDetailView):
    """One material: its text, attachment, live onboarding content and the reader's task."""

    model = Material
    template_name = "development/material_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(_material_context(self.request, self.object, person_of(user)))
        context["own_assignment"] = (
            training_selectors.my_assignments(user=user).filter(material=self.object).first()
        )
        context["can_edit"] = permissions.can_edit_library(user)
        context["can_assign"] = permissions.can_assign_training(user)
        return context


def _material_form_initial(material: Material) -> dict:
    return {
        "title": material.title,
        "topic": material.topic,
        "level": material.level,
        "estimated_minutes": material.estimated_minutes,
        "body": material.body,
        "is_published": material.is_published,
        "is_onboarding": material.is_onboarding,
        "onboarding_order": material.onboarding_order,
        "pass_mark": material.pass_mark,
        "quiz": quiz_as_text(questions=training_selectors.quiz_questions(material=material))
        if material.pk
        else "",
    }


def _material_save(request, form: MaterialForm, material: Material):
    """Save the form through the service; return the material or None (errors on the form)."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    for name in (
        "title",
        "topic",
        "level",
        "estimated_minutes",
        "body",
        "is_published",
        "is_onboarding",
        "onboarding_order",
        "pass_mark",
    ):
        setattr(material, name, data[name])
    try:
        questions = quiz_parse(data["quiz"])
        return training_services.material_save(
            instance=material,
            actor=request.user,
            questions=questions,
            upload=data.get("attachment"),
        )
    except ValidationError as error:
        form.add_service_errors(renamed_errors(error, {"questions": "quiz"}))
        return None


@login_required
def material_create(request: HttpRequest) -> HttpResponse:
    """A new material (trainers, director, admin)."""
    if not permissions.can_edit_library(request.user):
        raise PermissionDenied
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        material = _material_save(request, form, Material())
        if material is not None:
            messages.success(request, _("Material saved: %(title)s") % {"title": material.title})
            return redirect(material.get_absolute_url())
    context = {
        "form": form,
        "title": _("New training material"),
        "cancel": reverse("development:materials"),
    }
    return render(request, "development/material_form.html", context)


class MaterialEdit(ScopedDetailView):
    """Change a material and its quiz (found in scope: 404; writers only: 403)."""

    model = Material
    template_name = "development/material_form.html"
    record_permission = staticmethod(permissions.can_edit_material)

    def get_object(self, queryset=None):
        material = super().get_object(queryset)
        if not self.record_permission(self.request.user, material):
            raise PermissionDenied
        return material

    def _render(self, form):
        context = {
            "form": form,
            "material": self.object,
            "title": _("Edit %(title)s") % {"title": self.object.title},
            "cancel": self.object.get_absolute_url(),
        }
        return render(self.request, self.template_name, context)

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self._render(MaterialForm(initial=_material_form_initial(self.object)))

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = MaterialForm(request.POST, request.FILES or None)
        material = _material_save(request, form, self.object)
        if material is not None:
            messages.success(request, _("Material saved: %(title)s") % {"title": material.title})
            return redirect(material.get_absolute_url())
        return self._render(form)


@login_required
@require_GET
def attachment_download(request: HttpRequest, material_id: int) -> FileResponse:
    """A material's attachment, for whoever may see the material (never a public URL)."""
    material = get_object_or_404(Material.objects.visible_to(request.user), pk=material_id)
    if not material.attachment:
        raise Http404
    try:
        handle = material.attachment.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    name = os.path.basename(material.attachment.name)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- assignments --------------------------------------------------------------------------


class AssignmentDetail(ScopedDetailView):
    """One assignment: the material, its quiz for the assignee, completion and results."""

    model = Assignment
    template_name = "development/assignment_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assignment = self.object
        context.update(_material_context(self.request, assignment.material, assignment.person))
        context["questions"] = training_selectors.quiz_questions(material=assignment.material)
        context["can_complete"] = assignment.is_open and permissions.can_complete_assignment(
            self.request.user, assignment
        )
        context["overdue"] = assignment.is_overdue(timezone.localdate())
        context.setdefault("errors", [])
        return context

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        answers = {}
        for question in training_selectors.quiz_questions(material=self.object.material):
            chosen = request.POST.getlist(f"question-{question.id}")
            answers[question.id] = [int(value) for value in chosen if value.isdigit()]
        try:
            training_services.assignment_complete(
                assignment=self.object, actor=request.user, answers=answers
            )
        except ValidationError as error:
            self.object.refresh_from_db()
            context = self.get_context_data(object=self.object)
            context["errors"] = error.messages
            return render(request, self.template_name, context, status=400)
        messages.success(request, _("You have completed this material."))
        return redirect(self.object.get_absolute_url())


@login_required
def my_training(request: HttpRequest) -> HttpResponse:
    """The logged-in person's assignments: open ones (overdue flagged) and completed ones."""
    assignments = list(training_selectors.my_assignments(user=request.user))
    today = timezone.localdate()
    context = {
        "open": [a for a in assignments if a.is_open],
        "done": [a for a in assignments if not a.is_open],
        "today": today,
    }
    return render(request, "development/my_training.html", context)


def _team_people(user, team_id: str):
    """People whose training the user follows: a leader's people, or one team's members."""
    teams = Team.objects.visible_to(user).order_by("code")
    team_pk = id_param({"team": team_id}, "team")
    team = get_object_or_404(teams, pk=team_pk) if team_pk is not None else None
    people = training_selectors.training_followed_people(
        user=user, team=team, today=timezone.localdate()
    )
    return teams, team, people


@login_required
def team_training(request: HttpRequest) -> HttpResponse:
    """Completion per person per material of the people the user leads (or one team)."""
    if not permissions.can_assign_training(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    teams, team, people = _team_people(request.user, request.GET.get("team", ""))
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    materials, rows = training_selectors.team_training_status(
        user=request.user, people=list(page.object_list), today=today
    )
    for row in rows:
        row.line = [row.cells.get(material.id) for material in materials]
    context = {
        "page": page,
        "teams": teams,
        "team": team,
        "materials": materials,
        "rows": rows,
        "today": today,
    }
    return render(request, "development/team_training.html", context)


@login_required
def assign(request: HttpRequest) -> HttpResponse:
    """Assign a material to people (trainers anyone; managers the people they lead)."""
    if not permissions.can_assign_training(request.user):
        raise PermissionDenied
    people = training_selectors.assignable_people(user=request.user, today=timezone.localdate())
    materials = training_selectors.published_materials(user=request.user)
    initial = {}
    if request.GET.get("material", "").isdigit():
        initial["material"] = request.GET["material"]
    if request.GET.get("person", "").isdigit():
        initial["people"] = [request.GET["person"]]
    form = AssignForm(request.POST or None, people=people, materials=materials, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        problems = Problems()
        created = 0
        for person in data["people"]:
            try:
                training_services.assignment_create(
                    person=person,
                    material=data["material"],
                    due_date=data["due_date"],
                    actor=request.user,
                    reason=data["reason"],
                )
                created += 1
            except ValidationError as error:
                for field_messages in error.message_dict.values():
                    for message in field_messages:
                        problems.add("people", f"{person.name}: {message}")
        if not problems.errors:
            messages.success(
                request,
                ngettext(
                    "%(material)s assigned to %(count)d person.",
                    "%(material)s assigned to %(count)d people.",
                    created,
                )
                % {"material": data["material"].title, "count": created},
            )
            return redirect(reverse("development:team_training"))
        form.add_service_errors(ValidationError(problems.errors))
    return render(request, "development/assign_form.html", {"form": form})
