"""Pages of the training library, assignments, onboarding and culture (thin: they call
the services and selectors of training.py, onboarding.py and culture.py)."""

from __future__ import annotations

import csv
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

from salesorg.core.problems import Problems
from salesorg.core.roles import Role, person_of, role_of
from salesorg.core.scoping import scope_for
from salesorg.core.views import ScopedDetailView
from salesorg.development import culture, training
from salesorg.development.forms import AssignForm, CultureForm, MaterialForm, RecognitionForm
from salesorg.development.markup import render_markdown
from salesorg.development.models import Assignment, Level, Material, Topic
from salesorg.development.onboarding import onboarding_live_content
from salesorg.org.models import Membership, Person, Team

PAGE_SIZE = 30


# --- library ------------------------------------------------------------------------------


@login_required
def material_list(request: HttpRequest) -> HttpResponse:
    """The training library: search, topic and level filters, pages, CSV of what is shown."""
    search = request.GET.get("q", "").strip()
    topic = request.GET.get("topic", "")
    level = request.GET.get("level", "")
    materials = training.material_list(user=request.user, search=search, topic=topic, level=level)
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
        "can_edit": training.can_edit_library(request.user),
    }
    template = (
        "development/_material_table.html" if request.htmx else "development/material_list.html"
    )
    return render(request, template, context)


def _materials_csv(materials) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="training-materials.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
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
    questions = training.quiz_questions(material=material)
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
            training.my_assignments(user=user).filter(material=self.object).first()
        )
        context["can_edit"] = training.can_edit_library(user)
        context["can_assign"] = training.can_assign_training(user)
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
        "quiz": training.quiz_as_text(questions=training.quiz_questions(material=material))
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
        questions = training.quiz_parse(data["quiz"])
        return training.material_save(
            instance=material,
            actor=request.user,
            questions=questions,
            upload=data.get("attachment"),
        )
    except ValidationError as error:
        form.add_service_errors(_renamed(error, {"questions": "quiz"}))
        return None


def _renamed(error: ValidationError, names: dict[str, str]) -> ValidationError:
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError(
        {names.get(field, field): messages for field, messages in error.message_dict.items()}
    )


@login_required
def material_create(request: HttpRequest) -> HttpResponse:
    """A new material (trainers, director, admin)."""
    if not training.can_edit_library(request.user):
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


def can_edit_material(user, material: Material) -> bool:
    """Library writers may change every material they see."""
    return training.can_edit_library(user)


class MaterialEdit(ScopedDetailView):
    """Change a material and its quiz (found in scope: 404; writers only: 403)."""

    model = Material
    template_name = "development/material_form.html"
    record_permission = staticmethod(can_edit_material)

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
        context["questions"] = training.quiz_questions(material=assignment.material)
        context["can_complete"] = assignment.is_open and training.can_complete_assignment(
            self.request.user, assignment
        )
        context["overdue"] = assignment.is_overdue(timezone.localdate())
        context.setdefault("errors", [])
        return context

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        answers = {}
        for question in training.quiz_questions(material=self.object.material):
            chosen = request.POST.getlist(f"question-{question.id}")
            answers[question.id] = [int(value) for value in chosen if value.isdigit()]
        try:
            training.assignment_complete(
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
    assignments = list(training.my_assignments(user=request.user))
    today = timezone.localdate()
    context = {
        "open": [a for a in assignments if a.is_open],
        "done": [a for a in assignments if not a.is_open],
        "today": today,
    }
    return render(request, "development/my_training.html", context)


def _team_people(user, team_id: str):
    """People whose training the user follows: a leader's people, or one team's members."""
    today = timezone.localdate()
    scope = scope_for(user)
    teams = Team.objects.visible_to(user).order_by("code")
    people = Person.objects.visible_to(user).employed_on(today).exclude(pk=scope.person_id)
    team = None
    if team_id.isdigit():
        team = get_object_or_404(teams, pk=int(team_id))
        member_ids = Membership.objects.current(today).filter(team=team).values("person_id")
        people = people.filter(pk__in=member_ids)
    elif role_of(user) not in (Role.MANAGER, Role.REGION_HEAD):
        people = people.filter(role__in=(Role.REP, Role.MANAGER))
    return teams, team, people.order_by("code")


@login_required
def team_training(request: HttpRequest) -> HttpResponse:
    """Completion per person per material of the people the user leads (or one team)."""
    if not training.can_assign_training(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    teams, team, people = _team_people(request.user, request.GET.get("team", ""))
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    materials, rows = training.team_training_status(
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
    if not training.can_assign_training(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    scope = scope_for(request.user)
    people = (
        Person.objects.visible_to(request.user)
        .employed_on(today)
        .exclude(pk=scope.person_id)
        .filter(role__in=(Role.REP, Role.MANAGER, Role.REGION_HEAD))
        .order_by("code")
    )
    materials = Material.objects.visible_to(request.user).published().order_by("title")
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
                training.assignment_create(
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


# --- culture ------------------------------------------------------------------------------


@login_required
def culture_page(request: HttpRequest) -> HttpResponse:
    """Vision and values, the incentive policy in force, and recognition posts."""
    from salesorg.development.onboarding import published_incentive_policy

    page = culture.culture_page()
    posts = Paginator(culture.recognition_list(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "culture": page,
        "vision_html": render_markdown(page.vision),
        "values_html": render_markdown(page.values),
        "policy": published_incentive_policy(user=request.user, today=timezone.localdate()),
        "page": posts,
        "can_edit": culture.can_edit_culture(request.user),
        "can_praise": culture.can_praise(request.user),
    }
    return render(request, "development/culture.html", context)


@login_required
def culture_edit(request: HttpRequest) -> HttpResponse:
    """Change the vision and values (director, admin); earlier versions stay in history."""
    if not culture.can_edit_culture(request.user):
        raise PermissionDenied
    page = culture.culture_page()
    form = CultureForm(request.POST or None, initial={"vision": page.vision, "values": page.values})
    if request.method == "POST" and form.is_valid():
        culture.culture_page_save(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Vision and values saved."))
        return redirect(reverse("development:culture"))
    context = {"form": form, "history": culture.culture_page_history()}
    return render(request, "development/culture_form.html", context)


def _linked_record(user, model_label: str, code: str):
    from django.apps import apps

    if not code:
        return None
    model = apps.get_model(model_label)
    return model.objects.visible_to(user).filter(code=code.strip()).first() or False


@login_required
def recognition_create(request: HttpRequest) -> HttpResponse:
    """Praise a person for a result (managers for their people; director, admin)."""
    if not culture.can_praise(request.user):
        raise PermissionDenied
    scope = scope_for(request.user)
    people = (
        Person.objects.visible_to(request.user)
        .employed_on(timezone.localdate())
        .exclude(pk=scope.person_id)
        .order_by("code")
    )
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
                culture.recognition_create(
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
                    _renamed(
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
    posts = list(culture.recognition_list(user=request.user, team=team)[:10])
    context = {"posts": posts, "team": team, "can_praise": culture.can_praise(request.user)}
    return render(request, "development/_team_recognitions.html", context)
