"""How the API answers errors: JSON {"detail": ...}, naming the field where there is one."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from ninja import NinjaAPI

from salesorg.core.versioning import StaleVersion


class Forbidden(Exception):
    """The user may see the object but not change it."""


def validation_detail(error: ValidationError) -> list[dict]:
    """Turn a Django ValidationError into ninja-style items: {"loc": [...], "msg": ...}."""
    if hasattr(error, "error_dict"):
        return [
            {"loc": ["body", field], "msg": " ".join(messages), "type": "value_error"}
            for field, messages in error.message_dict.items()
        ]
    return [{"loc": ["body"], "msg": " ".join(error.messages), "type": "value_error"}]


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def on_validation_error(request, exc: ValidationError):
        status = 409 if isinstance(exc, StaleVersion) else 400  # changed since it was read
        return api.create_response(request, {"detail": validation_detail(exc)}, status=status)

    @api.exception_handler(Http404)
    def on_not_found(request, exc: Http404):
        # The same answer whether the object does not exist or is outside the caller's scope.
        return api.create_response(request, {"detail": _("Not found.")}, status=404)

    def on_forbidden(request, exc: Exception):
        detail = _("You do not have permission to perform this action.")
        return api.create_response(request, {"detail": detail}, status=403)

    # Forbidden from an endpoint's own check, PermissionDenied from a service's.
    api.add_exception_handler(Forbidden, on_forbidden)
    api.add_exception_handler(PermissionDenied, on_forbidden)

    @api.exception_handler(ProtectedError)
    def on_protected(request, exc: ProtectedError):
        detail = _("This record is still referenced by other records and cannot be deleted.")
        return api.create_response(request, {"detail": detail}, status=409)


API_PREFIX = "/api/"


def server_error(request: HttpRequest) -> HttpResponse:
    """The answer to an unhandled exception (handler500): JSON under the API, the error page
    elsewhere. Django has logged the exception (logger django.request) before calling it."""
    if request.path.startswith(API_PREFIX):
        detail = _("Server error: it has been logged. Please try again later.")
        return JsonResponse({"detail": detail}, status=500)
    return defaults.server_error(request)


ERROR_SCHEMA = {
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {
            "oneOf": [
                {"type": "string"},
                {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "loc": {"type": "array", "items": {}},
                            "msg": {"type": "string"},
                            "type": {"type": "string"},
                        },
                    },
                },
            ]
        }
    },
}
ERROR_STATUSES = {
    "400": "Invalid values: `detail` lists each field with its message.",
    "401": "Not logged in, or the token is unknown.",
    "403": "Not allowed to change this record.",
    "404": "Not found (or outside the caller's scope: the same answer).",
    "409": "Still referenced by other records, or changed by someone else since the `version`"
    " you sent (`detail` names `version`): reload it and apply your change again.",
    "422": "The request does not match the operation's schema.",
    "500": "A server error (a bug, logged): `detail` says so.",
}


def document_error_responses(schema: dict) -> dict:
    """Add the error answers every operation may give to each operation of an OpenAPI dict."""
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_STATUSES.items():
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": ERROR_SCHEMA}},
                    },
                )
    return schema
