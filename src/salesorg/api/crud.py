"""Scoped list/read/create/update/delete endpoints generated for one model.

Every read goes through `visible_to(request.user)`: hidden objects answer 404.
Writes need `can_write(user)` (403 otherwise) and go through a service that
validates the whole record; validation errors answer 400 naming the field.

Optionally, `can_write_object(user, instance)` decides per record (checked on the record
as found and as it would be written, so no write can move a record out of reach), and an
`actor_aware` save is called as `save(instance=..., actor=user, extra={...})`, where
`extra` holds the payload's `write_only` fields (nested data that are not model fields).
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import ForeignKey, Model, Q
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from salesorg.api.errors import Forbidden

MAX_PAGE = 1_000_000


class ApiPagination(PageNumberPagination):
    """`?page=N` (and `?page_size=` up to 500), 50 items a page: {"items": [...], "count": N}.

    The page number is bounded, so that a huge one answers 422 instead of overflowing SQL.
    """

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1)

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


def register_crud(
    router: Router,
    *,
    model: type[Model],
    prefix: str,
    out_schema: type[Schema],
    create_schema: type[Schema],
    update_schema: type[Schema],
    save: Callable[..., Model],
    can_write: Callable[..., bool],
    search_fields: tuple[str, ...] = (),
    select_related: tuple[str, ...] = (),
    prefetch_related: tuple[str, ...] = (),
    can_write_object: Callable[..., bool] | None = None,
    actor_aware: bool = False,
    write_only: tuple[str, ...] = (),
) -> None:
    """Add GET list, GET one, POST, PATCH and DELETE endpoints for `model` under `prefix`."""
    label = model._meta.label
    name = model._meta.model_name
    scoped = scoped_model(label)

    def operation(suffix: str) -> dict:
        return {"openapi_extra": scoped, "operation_id": f"{name}_{suffix}"}

    def saved(instance: Model, request=None, extra: dict | None = None) -> Model:
        try:
            if actor_aware:
                return save(instance=instance, actor=request.user, extra=extra or {})
            return save(instance=instance)
        except ValidationError as error:
            raise _with_schema_field_names(error, model) from error

    def visible(request):
        objects = model.objects.visible_to(request.user).select_related(*select_related)
        return objects.prefetch_related(*prefetch_related) if prefetch_related else objects

    def check_object(request, instance) -> None:
        if can_write_object is not None and not can_write_object(request.user, instance):
            raise Forbidden

    def apply(instance, data: dict) -> dict:
        refuse_null_characters(data)
        extra = {name: data.pop(name) for name in write_only if name in data}
        for field, value in data.items():
            setattr(instance, field, value)
        return extra

    @router.get(
        f"/{prefix}", response=list[out_schema], openapi_extra=scoped, operation_id=f"{name}_list"
    )
    @paginate(ApiPagination)
    def list_objects(request, search: str = ""):
        refuse_null_characters({"search": search})
        objects = visible(request)
        if search and search_fields:
            query = Q()
            for field in search_fields:
                query |= Q(**{f"{field}__icontains": search})
            objects = objects.filter(query)
        return objects.order_by(*model._meta.ordering or ["pk"])

    @router.get(
        f"/{prefix}/{{pk}}", response=out_schema, openapi_extra=scoped, operation_id=f"{name}_get"
    )
    def get_object(request, pk: int):
        return get_object_or_404(visible(request), pk=pk)

    @router.post(
        f"/{prefix}",
        response={201: out_schema},
        openapi_extra=scoped,
        operation_id=f"{name}_create",
    )
    def create_object(request, payload: create_schema):
        if not can_write(request.user):
            raise Forbidden
        instance = model()
        extra = apply(instance, payload.dict())
        check_object(request, instance)
        return 201, saved(instance, request, extra)

    @router.patch(
        f"/{prefix}/{{pk}}",
        response=out_schema,
        openapi_extra=scoped,
        operation_id=f"{name}_update",
    )
    def update_object(request, pk: int, payload: update_schema):
        instance = get_object_or_404(visible(request), pk=pk)
        if not can_write(request.user):
            raise Forbidden
        check_object(request, instance)
        extra = apply(instance, payload.dict(exclude_unset=True))
        check_object(request, instance)
        return saved(instance, request, extra)

    @router.delete(
        f"/{prefix}/{{pk}}",
        response={204: None},
        openapi_extra=scoped,
        operation_id=f"{name}_delete",
    )
    def delete_object(request, pk: int):
        instance = get_object_or_404(visible(request), pk=pk)
        if not can_write(request.user):
            raise Forbidden
        check_object(request, instance)
        instance.delete()
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
