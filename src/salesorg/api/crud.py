"""Scoped list/read/create/update/delete endpoints generated for one model.

Every read goes through `visible_to(request.user)`: hidden objects answer 404.
Writes need `can_write(user)` (403 otherwise) and go through the app's services: `save`
validates the whole record (errors answer 400 naming the field), `delete` removes it with
the app's rules, as the pages do.

Optionally, `can_write_object(user, instance)` decides per record (checked on the record
as found and as it would be written, so no write can move a record out of reach), and an
`actor_aware` save is called as `save(instance=..., actor=user, extra={...})`, where
`extra` holds the payload's `write_only` fields (nested data that are not model fields).
"""

from collections.abc import Callable
from dataclasses import dataclass
from inspect import signature

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import ForeignKey, Model, Q, QuerySet
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from salesorg.api.errors import Forbidden
from salesorg.api.types import RecordId

MAX_PAGE = 1_000_000


class ApiPagination(PageNumberPagination):
    """`?page=N` (and `?page_size=` up to 500), 50 items a page: {"items": [...], "count": N}.

    The page number is bounded, so that a huge one answers 422 instead of overflowing SQL.
    """

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE)

    def __init__(self, page_size: int = 50, max_page_size: int = 500, **kwargs):
        super().__init__(page_size=page_size, max_page_size=max_page_size, **kwargs)


def scoped_model(label: str) -> dict:
    """`openapi_extra` of an operation on `label`'s objects: the scoping matrix tests it."""
    return {"x-scoped-model": label}


def renamed_errors(error: ValidationError, names: dict[str, str]) -> ValidationError:
    """A service's ValidationError with its field names as the API payload spells them."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError(
        {names.get(field, field): messages for field, messages in error.message_dict.items()}
    )


@dataclass(frozen=True)
class Crud:
    """What the generated endpoints of one model need: its schemas, services and rules."""

    model: type[Model]
    prefix: str
    out_schema: type[Schema]
    create_schema: type[Schema]
    update_schema: type[Schema]
    save: Callable[..., Model]
    delete: Callable[..., None]
    can_write: Callable[..., bool]
    search_fields: tuple[str, ...] = ()
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    can_write_object: Callable[..., bool] | None = None
    actor_aware: bool = False
    write_only: tuple[str, ...] = ()
    # The save may answer a record already saved instead of the new one (an idempotent
    # resend, e.g. a visit's `client_key`): the create then answers 200 with it, not 201.
    resend_answers_saved: bool = False

    @property
    def name(self) -> str:
        return self.model._meta.model_name

    def operation(self, suffix: str) -> dict:
        return {
            "openapi_extra": scoped_model(self.model._meta.label),
            "operation_id": f"{self.name}_{suffix}",
        }

    def visible(self, request) -> QuerySet:
        objects = self.model.objects.visible_to(request.user).select_related(*self.select_related)
        return (
            objects.prefetch_related(*self.prefetch_related) if self.prefetch_related else objects
        )

    def writable(self, request, instance: Model | None = None) -> None:
        """Refuse (403) a writer without the model's write right or the record's."""
        if not self.can_write(request.user):
            raise Forbidden
        if instance is None or self.can_write_object is None:
            return
        if not self.can_write_object(request.user, instance):
            raise Forbidden

    def apply(self, instance: Model, data: dict) -> dict:
        """Set the payload's fields on `instance`; return its write-only (non-field) parts."""
        refuse_null_characters(data)
        extra = {name: data.pop(name) for name in self.write_only if name in data}
        for field, value in data.items():
            setattr(instance, field, value)
        return extra

    def remove(self, request, instance: Model) -> None:
        """Delete through the app's service, which names the record after its kind
        (`order_delete(*, order, actor)`): the one argument besides `actor`."""
        (record_arg,) = [name for name in signature(self.delete).parameters if name != "actor"]
        self.delete(**{record_arg: instance}, actor=request.user)

    def saved(self, request, instance: Model, extra: dict) -> Model:
        try:
            if self.actor_aware:
                return self.save(instance=instance, actor=request.user, extra=extra)
            return self.save(instance=instance)
        except ValidationError as error:
            raise _with_schema_field_names(error, self.model) from error


def plain_save(service):
    """Adapt a service `f(*, instance, actor)` to the API's save call."""

    def save(*, instance, actor, extra):
        return service(instance=instance, actor=actor)

    return save


def versioned_save(service):
    """Adapt a service `f(*, instance, actor, expected_version)`: the `version` a PATCH read
    (required: the service refuses a change of a stored record without it)."""

    def save(*, instance, actor, extra):
        return service(instance=instance, actor=actor, expected_version=extra.get("version"))

    return save


# Every generated set of endpoints, in registration order (the tests read it).
REGISTERED: list[Crud] = []


def register_crud(router: Router, **definition) -> None:
    """Add GET list, GET one, POST, PATCH and DELETE endpoints for a model under a prefix
    (`definition` holds the fields of `Crud`)."""
    crud = Crud(**definition)
    REGISTERED.append(crud)
    _register_reads(router, crud)
    _register_writes(router, crud)


def _register_reads(router: Router, crud: Crud) -> None:
    out_schema = crud.out_schema

    @router.get(f"/{crud.prefix}", response=list[out_schema], **crud.operation("list"))
    @paginate(ApiPagination)
    def list_objects(request, search: str = ""):
        refuse_null_characters({"search": search})
        objects = crud.visible(request)
        if search and crud.search_fields:
            query = Q()
            for field in crud.search_fields:
                query |= Q(**{f"{field}__icontains": search})
            objects = objects.filter(query)
        return objects.order_by(*crud.model._meta.ordering or ["pk"])

    @router.get(f"/{crud.prefix}/{{pk}}", response=out_schema, **crud.operation("get"))
    def get_object(request, pk: RecordId):
        return get_object_or_404(crud.visible(request), pk=pk)


def _register_writes(router: Router, crud: Crud) -> None:
    create_schema, update_schema = crud.create_schema, crud.update_schema

    answers = {201: crud.out_schema}
    if crud.resend_answers_saved:
        answers[200] = crud.out_schema

    @router.post(f"/{crud.prefix}", response=answers, **crud.operation("create"))
    def create_object(request, payload: create_schema):
        crud.writable(request)
        instance = crud.model()
        extra = crud.apply(instance, payload.dict())
        crud.writable(request, instance)
        saved = crud.saved(request, instance, extra)
        resent = crud.resend_answers_saved and saved is not instance
        return (200 if resent else 201), saved

    @router.patch(f"/{crud.prefix}/{{pk}}", response=crud.out_schema, **crud.operation("update"))
    def update_object(request, pk: RecordId, payload: update_schema):
        instance = get_object_or_404(crud.visible(request), pk=pk)
        crud.writable(request, instance)
        extra = crud.apply(instance, payload.dict(exclude_unset=True))
        crud.writable(request, instance)  # no write may move a record out of reach
        return crud.saved(request, instance, extra)

    @router.delete(f"/{crud.prefix}/{{pk}}", response={204: None}, **crud.operation("delete"))
    def delete_object(request, pk: RecordId):
        instance = get_object_or_404(crud.visible(request), pk=pk)
        crud.writable(request, instance)
        crud.remove(request, instance)
        return 204, None


def refuse_null_characters(data: dict) -> None:
    """Refuse text holding a NUL character, naming its field: PostgreSQL cannot store or
    compare it (a server error otherwise), and the pages' forms refuse it too."""
    errors = {}
    for name, value in data.items():
        try:
            _check_null_characters(value)
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)


def _check_null_characters(value) -> None:
    if isinstance(value, str):
        ProhibitNullCharactersValidator()(value)
    elif isinstance(value, dict):
        for item in value.values():
            _check_null_characters(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _check_null_characters(item)


def _with_schema_field_names(error: ValidationError, model: type[Model]) -> ValidationError:
    """Name foreign keys as the API does (`team_id`, not `team`) in validation errors."""
    if not hasattr(error, "error_dict"):
        return error
    renamed = {}
    for name, messages in error.message_dict.items():
        field = next((f for f in model._meta.concrete_fields if f.name == name), None)
        renamed[field.attname if isinstance(field, ForeignKey) else name] = messages
    return type(error)(renamed)  # keeps a StaleVersion one (409)
