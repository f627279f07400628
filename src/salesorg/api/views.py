"""The account page listing a login's own API tokens, each with a button revoking it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from salesorg.api.models import ApiToken
from salesorg.api.tokens import token_revoke
from salesorg.api.types import MAX_ID


def _token_id(raw: str | None) -> int:
    """The posted token id, or 404 for anything that cannot be one."""
    if raw is None or not raw.isdigit() or not 1 <= int(raw) <= MAX_ID:
        raise Http404
    return int(raw)


@login_required
@require_http_methods(["GET", "POST"])
def account_tokens(request):
    """GET: the caller's unexpired API tokens; POST token_id: revoke one of them."""
    tokens = ApiToken.objects.visible_to(request.user)
    if request.method == "POST":
        token = get_object_or_404(tokens, pk=_token_id(request.POST.get("token_id")))
        token_revoke(token=token)
        messages.success(request, _("The token is revoked: it no longer opens the API."))
        return redirect("account_tokens")
    context = {
        "tokens": tokens.order_by("-created_at", "-id"),
        "token_days": ApiToken.lifetime_days(),
    }
    return render(request, "registration/api_tokens.html", context)
