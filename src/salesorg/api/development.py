"""Training and culture endpoints: materials with quizzes, assignments (list, assign,
complete or take the quiz), recognition posts and the vision and values page.

Reads are scoped by `visible_to`; writes go through the services of
`development.training` and `development.culture`, which check the rights.
Quiz questions are shown without their correct options; scoring is server-side.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from salesorg.api.crud import ApiPagination, register_crud, scoped_model
from salesorg.api.errors import Forbidden
from salesorg.api.types import Day, RecordId, optional_query
from salesorg.core.roles import role_of
from salesorg.core.stored_text import stored_text
from salesorg.development import permissions
from salesorg.development.models import (
    Assignment,
    Level,
    Material,
    Recognition,
    Topic,
)
from salesorg.development.selectors.culture import culture_page
from salesorg.development.selectors.onboarding import published_incentive_policy
from salesorg.development.services import culture, training
from salesorg.org.models import Person

router = Router(tags=["development"])

SCOPED_ROWS = {"x-scoped-rows": True}


# --- materials ----------------------------------------------------------------------------


class OptionOut(Schema):
    id: int
    text: str


class QuestionOut(Schema):
    id: int
    number: int
    text: str
    options: list[OptionOut]

    @staticmethod
    def resolve_options(obj) -> list:
        return list(obj.options.all())


class MaterialOut(Schema):
    id: int
    code: str
    title: str
    topic: str
    level: str
    body: str
    estimated_minutes: int
    is_published: bool
    is_onboarding: bool
    onboarding_order: int
    pass_mark: int
    has_attachment: bool
    questions: list[QuestionOut]

    @staticmethod
    def resolve_has_attachment(obj) -> bool:
        return bool(obj.attachment)

    @staticmethod
    def resolve_questions(obj) -> list:
        return list(obj.questions.all())


class OptionIn(Schema):
    text: str = Field(..., min_length=1, max_length=300)
    is_correct: bool = False


class QuestionIn(Schema):
    text: str = Field(..., min_length=1, max_length=500)
    options: list[OptionIn]


class MaterialIn(Schema):
    code: str = Field("", max_length=30, description="blank: a code is generated")
    title: str = Field(..., min_length=1, max_length=200)
    topic: Topic
    level: Level = Level.BASIC
    body: str = ""
    estimated_minutes: int = Field(15, ge=1, le=32767)
    is_published: bool = True
    is_onboarding: bool = False
    onboarding_order: int = Field(0, ge=0, le=32767)
    pass_mark: int = Field(80, ge=0, le=100)
    questions: list[QuestionIn] | None = Field(None, description="replaces the quiz when given")


class MaterialPatch(Schema):
    code: str = Field(None, min_length=1, max_length=30)
    title: str = Field(None, min_length=1, max_length=200)
    topic: Topic = None
    level: Level = None
    body: str = None
    estimated_minutes: int = Field(None, ge=1, le=32767)
    is_published: bool = None
    is_onboarding: bool = None
    onboarding_order: int = Field(None, ge=0, le=32767)
    pass_mark: int = Field(None, ge=0, le=100)
    questions: list[QuestionIn] = Field(None, description="replaces the quiz when given")


def _material_save(*, instance: Material, actor, extra: dict) -> Material:
    questions = extra.get("questions")
    return training.material_save(
        instance=instance,
        actor=actor,
        questions=[dict(q) if isinstance(q, dict) else q.dict() for q in questions]
        if questions is not None
        else None,
    )


register_crud(
    router,
    model=Material,
    prefix="training/materials",
    out_schema=MaterialOut,
    create_schema=MaterialIn,
    update_schema=MaterialPatch,
    delete=training.material_delete,
    save=_material_save,
    can_write=permissions.can_edit_library,
    search_fields=("title", "code", "body"),
    prefetch_related=("questions__options",),
    actor_aware=True,
    write_only=("questions",),
)


# --- assignments --------------------------------------------------------------------------


class AssignmentOut(Schema):
    id: int
    person_id: RecordId
    material_id: RecordId
    material_title: str
    due_date: date
    assigned_by_id: RecordId | None
    reason: str
    reason_text: str = Field(
        "", description="Why it was assigned, in the requester's language (never a code)."
    )
    status: str
    completed_at: datetime | None
    quiz_score: int | None
    passed: bool | None
    overdue: bool

    @staticmethod
    def resolve_material_title(obj) -> str:
        return obj.material.title

    @staticmethod
    def resolve_reason(obj) -> str:
        return stored_text(obj.reason_key, obj.reason_params, fallback=obj.reason)

    @staticmethod
    def resolve_reason_text(obj) -> str:
        return obj.display_reason

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.is_overdue(timezone.localdate())


class AssignmentIn(Schema):
    person_id: RecordId
    material_id: RecordId
    due_date: Day
    reason: str = ""


class AnswerIn(Schema):
    question_id: RecordId
    option_ids: list[RecordId] = []


class CompleteIn(Schema):
    answers: list[AnswerIn] = Field(
        default_factory=list, description="the quiz answers, when the material has a quiz"
    )


@router.get(
    "/training/assignments",
    response=list[AssignmentOut],
    openapi_extra=scoped_model("development.Assignment"),
    operation_id="assignment_list",
)
@paginate(ApiPagination)
def assignment_list(
    request,
    person_id: int | None = optional_query(),
    status: str = "",
    overdue: bool = False,
):
    """Assignments the caller may see (own, their people's, or all for trainers)."""
    assignments = Assignment.objects.visible_to(request.user).select_related("material")
    if person_id is not None:
        assignments = assignments.filter(person_id=person_id)
    if status:
        assignments = assignments.filter(status=status)
    if overdue:
        assignments = assignments.overdue(timezone.localdate())
    return assignments.order_by("due_date", "id")


@router.get(
    "/training/assignments/{pk}",
    response=AssignmentOut,
    openapi_extra=scoped_model("development.Assignment"),
    operation_id="assignment_get",
)
def assignment_get(request, pk: RecordId):
    """One assignment in the caller's scope."""
    return get_object_or_404(
        Assignment.objects.visible_to(request.user).select_related("material"), pk=pk
    )


@router.post(
    "/training/assignments",
    response={201: AssignmentOut},
    openapi_extra=scoped_model("development.Assignment"),
    operation_id="assignment_create",
)
def assignment_create(request, payload: AssignmentIn):
    """Assign a material to a person by a due date (trainers; managers for their people)."""
    if not permissions.can_assign_training(request.user):
        raise Forbidden
    person = Person.objects.visible_to(request.user).filter(pk=payload.person_id).first()
    material = Material.objects.visible_to(request.user).filter(pk=payload.material_id).first()
    errors = {}
    if person is None:
        errors["person_id"] = [_unknown()]
    if material is None:
        errors["material_id"] = [_unknown()]
    if errors:
        raise ValidationError(errors)
    try:
        assignment = training.assignment_create(
            person=person,
            material=material,
            due_date=payload.due_date,
            actor=request.user,
            reason=payload.reason,
        )
    except ValidationError as error:
        raise _api_names(error, {"person": "person_id", "material": "material_id"}) from error
    return 201, assignment


@router.post(
    "/training/assignments/{pk}/complete",
    response=AssignmentOut,
    openapi_extra=scoped_model("development.Assignment"),
    operation_id="assignment_complete",
)
def assignment_complete(request, pk: RecordId, payload: CompleteIn):
    """Complete one's own assignment: mark it read, or submit the quiz (scored here)."""
    assignment = get_object_or_404(Assignment.objects.visible_to(request.user), pk=pk)
    if not permissions.can_complete_assignment(request.user, assignment):
        raise Forbidden
    answers = {answer.question_id: answer.option_ids for answer in payload.answers}
    return training.assignment_complete(assignment=assignment, actor=request.user, answers=answers)


# --- culture ------------------------------------------------------------------------------


class RecognitionOut(Schema):
    id: int
    person_id: RecordId
    team_id: RecordId | None
    author_id: RecordId | None
    title: str
    message: str
    order_id: RecordId | None
    visit_id: RecordId | None
    customer_id: RecordId | None
    created_at: datetime


class RecognitionIn(Schema):
    person_id: RecordId
    title: str = Field(..., min_length=1, max_length=200)
    message: str = ""
    order_id: RecordId | None = None
    visit_id: RecordId | None = None
    customer_id: RecordId | None = None


@router.get(
    "/culture/recognitions",
    response=list[RecognitionOut],
    openapi_extra=scoped_model("development.Recognition"),
    operation_id="recognition_list",
)
@paginate(ApiPagination)
def recognition_list(
    request, team_id: int | None = optional_query(), person_id: int | None = optional_query()
):
    """Recognition posts the caller may see (their team's, their people's)."""
    posts = Recognition.objects.visible_to(request.user)
    if team_id is not None:
        posts = posts.filter(team_id=team_id)
    if person_id is not None:
        posts = posts.filter(person_id=person_id)
    return posts.order_by("-created_at", "-id")


@router.get(
    "/culture/recognitions/{pk}",
    response=RecognitionOut,
    openapi_extra=scoped_model("development.Recognition"),
    operation_id="recognition_get",
)
def recognition_get(request, pk: RecordId):
    """One recognition post in the caller's scope."""
    return get_object_or_404(Recognition.objects.visible_to(request.user), pk=pk)


@router.post(
    "/culture/recognitions",
    response={201: RecognitionOut},
    openapi_extra=scoped_model("development.Recognition"),
    operation_id="recognition_create",
)
def recognition_create(request, payload: RecognitionIn):
    """Praise a person for a result, optionally linking one order, visit or customer."""
    from django.apps import apps

    if not permissions.can_praise(request.user):
        raise Forbidden
    errors: dict[str, list[str]] = {}
    person = Person.objects.visible_to(request.user).filter(pk=payload.person_id).first()
    if person is None:
        errors["person_id"] = [_unknown()]
    links = {}
    for name, label in (
        ("order", "sales.Order"),
        ("visit", "sales.Visit"),
        ("customer", "customers.Customer"),
    ):
        pk = getattr(payload, f"{name}_id")
        if pk is None:
            continue
        record = apps.get_model(label).objects.visible_to(request.user).filter(pk=pk).first()
        if record is None:
            errors[f"{name}_id"] = [_unknown()]
        links[name] = record
    if errors:
        raise ValidationError(errors)
    try:
        post = culture.recognition_create(
            person=person,
            title=payload.title,
            message=payload.message,
            actor=request.user,
            **links,
        )
    except ValidationError as error:
        raise _api_names(
            error,
            {
                "person": "person_id",
                "order": "order_id",
                "visit": "visit_id",
                "customer": "customer_id",
            },
        ) from error
    return 201, post


class CultureOut(Schema):
    vision: str
    values: str
    updated_at: datetime | None
    incentive_policy: str | None
    incentive_policy_url: str | None


class CultureIn(Schema):
    vision: str = ""
    values: str = ""


def _culture_out(request) -> dict:
    page = culture_page()
    policy = published_incentive_policy(user=request.user, today=timezone.localdate())
    return {
        "vision": page.vision,
        "values": page.values,
        "updated_at": page.updated_at,
        "incentive_policy": str(policy) if policy else None,
        "incentive_policy_url": getattr(policy, "url", None) or None,
    }


@router.get(
    "/culture",
    response=CultureOut,
    openapi_extra=SCOPED_ROWS,
    operation_id="culture_get",
)
def culture_get(request):
    """The vision and values, and the incentive policy in force (the same for everyone)."""
    if role_of(request.user) is None:  # people who have left see nothing
        raise Forbidden
    return _culture_out(request)


@router.put(
    "/culture",
    response=CultureOut,
    openapi_extra=SCOPED_ROWS,
    operation_id="culture_update",
)
def culture_update(request, payload: CultureIn):
    """Change the vision and values (director, admin); earlier text stays in history."""
    if not permissions.can_edit_culture(request.user):
        raise Forbidden
    culture.culture_page_save(vision=payload.vision, values=payload.values, actor=request.user)
    return _culture_out(request)


def _unknown() -> str:
    from django.utils.translation import gettext as _

    return _("Unknown record, or outside your scope.")


def _api_names(error: ValidationError, names: dict[str, str]) -> ValidationError:
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError(
        {names.get(field, field): messages for field, messages in error.message_dict.items()}
    )
