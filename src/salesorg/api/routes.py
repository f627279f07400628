"""The REST API at /api/v1/: one NinjaAPI, a router per app, thin endpoints."""

from __future__ import annotations

import copy
from datetime import datetime

from django.conf import settings
from django.contrib.auth import authenticate
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.pagination import paginate

from salesorg.api import (
    coaching,
    coaching_plans,
    dashboards,
    development,
    org,
    performance,
    plan_grid,
    sales,
)
from salesorg.api import credit as credit_api
from salesorg.api import customers as customers_api
from salesorg.api import funnel as funnel_api
from salesorg.api import meetings as meetings_api
from salesorg.api import notifications as notifications_api
from salesorg.api import photos as photos_api
from salesorg.api import plans as plans_api
from salesorg.api import purposes as purposes_api
from salesorg.api import receivables as receivables_api
from salesorg.api import reviews as reviews_api
from salesorg.api import root_causes as root_causes_api
from salesorg.api import scorecards as scorecards_api
from salesorg.api import standards as standards_api
from salesorg.api import surveys as surveys_api
from salesorg.api import targets as targets_api
from salesorg.api.auth import API_AUTH
from salesorg.api.crud import ApiPagination, scoped_model
from salesorg.api.errors import document_error_responses, install_error_handlers
from salesorg.api.models import ApiToken
from salesorg.api.tokens import token_revoke
from salesorg.api.types import RecordId
from salesorg.core.ratelimit import client_ip, rate_limited
from salesorg.core.roles import has_left


class SalesOrgAPI(NinjaAPI):
    """The NinjaAPI whose OpenAPI document also lists every operation's error answers.

    The document is built once per path prefix and language (about a second of pydantic work
    for 250 operations; the operations are fixed once the routes are imported), and each
    caller gets its own copy.
    """

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        documents = self.__dict__.setdefault("_openapi_documents", {})
        key = (path_prefix, get_language())
        if key not in documents:
            documents[key] = document_error_responses(
                super().get_openapi_schema(path_prefix=path_prefix)
            )
        return copy.deepcopy(documents[key])


api = SalesOrgAPI(
    title="SalesOrg API",
    version="1",
    urls_namespace="api",
    auth=API_AUTH,
    description="REST API of SalesOrg (销售组织管理系统). Every list and object is scoped "
    "to the caller; objects outside the caller's scope answer 404.",
)
install_error_handlers(api)


class TokenRequest(Schema):
    username: str
    password: str


class TokenResponse(Schema):
    token: str = Field(description="The bearer token; shown once, only its hash is kept.")
    expires_at: datetime = Field(
        description="When the token stops working (SALESORG_TOKEN_DAYS after it was issued); "
        "a password change, leaving the company or a deactivated login ends it sooner."
    )


class TokenOut(Schema):
    id: int
    created_at: datetime
    last_used_at: datetime | None = Field(description="Updated at most every five minutes.")
    expires_at: datetime


class ErrorResponse(Schema):
    detail: str


@api.post(
    "/auth/token",
    auth=None,
    response={200: TokenResponse, 401: ErrorResponse, 429: ErrorResponse},
    tags=["auth"],
    operation_id="auth_token",
)
def issue_token(request, payload: TokenRequest):
    """Exchange a username and password for a bearer token (rate-limited per address)."""
    limit = settings.TOKEN_RATE_LIMIT
    if rate_limited(f"token:{client_ip(request)}", limit=limit, period=60):
        return 429, {"detail": _("Too many token requests; try again in a minute.")}
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None or not user.is_active or has_left(user):
        return 401, {"detail": _("Invalid username or password.")}
    token, raw = ApiToken.objects.issue(user=user)
    return 200, {"token": raw, "expires_at": token.expires_at}


@api.get(
    "/auth/tokens",
    response=list[TokenOut],
    tags=["auth"],
    operation_id="auth_token_list",
    openapi_extra=scoped_model("api.ApiToken"),
)
@paginate(ApiPagination)
def list_tokens(request):
    """The caller's own unexpired API tokens, newest first (never the tokens themselves)."""
    return ApiToken.objects.visible_to(request.user).order_by("-created_at", "-id")


@api.post(
    "/auth/tokens/{token_id}/revoke",
    response={204: None},
    tags=["auth"],
    operation_id="auth_token_revoke",
    openapi_extra=scoped_model("api.ApiToken"),
)
def revoke_token(request, token_id: RecordId):
    """Revoke one of the caller's own tokens (another person's answers 404; an administrator
    revokes anyone's in Django admin)."""
    token = get_object_or_404(ApiToken.objects.visible_to(request.user), pk=token_id)
    token_revoke(token=token)
    return 204, None


api.add_router("/", org.router)
api.add_router("/", sales.router)
api.add_router("/", purposes_api.router)
api.add_router("/", performance.router)
api.add_router("/", dashboards.router)
api.add_router("/", receivables_api.router)
api.add_router("/", development.router)
api.add_router("/", coaching.router)
api.add_router("/", coaching_plans.router)
api.add_router("/", targets_api.router)
api.add_router("/", reviews_api.router)
api.add_router("/", standards_api.router)
api.add_router("/", customers_api.router)
api.add_router("/", surveys_api.router)
api.add_router("/", credit_api.router)
api.add_router("/", funnel_api.router)
api.add_router("/", root_causes_api.router)
api.add_router("/", scorecards_api.router)
api.add_router("/", meetings_api.router)
api.add_router("/", plans_api.router)
api.add_router("/", plan_grid.router)
api.add_router("/", photos_api.router)
api.add_router("/", notifications_api.router)
