"""Pages of incentive policies: list, detail, new version, edit a draft, publish."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from salesorg.core.hygiene import id_param
from salesorg.core.views import ScopedDetailView
from salesorg.performance import scoring
from salesorg.performance.forms import PolicyForm
from salesorg.performance.models import (
    IncentivePolicy,
)
from salesorg.performance.permissions import can_write_policy
from salesorg.performance.selectors.policies import (
    DEFAULT_RULES,
    DEFAULT_TIERS,
    policy_rules,
    rules_of,
)
from salesorg.performance.services.policies import policy_publish, policy_save
from salesorg.performance.views.errors import flash_errors, form_errors


@login_required
def policy_list(request):
    """Every published version (and drafts for director/admin), newest first."""
    policies = IncentivePolicy.objects.visible_to(request.user).order_by("-version")
    page = Paginator(policies, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "performance/policy_list.html",
        {"page": page, "can_write": can_write_policy(request.user)},
    )


class PolicyDetail(ScopedDetailView):
    """A policy version's rules, read-only for everyone."""

    model = IncentivePolicy
    template_name = "performance/policy_detail.html"
    context_object_name = "policy"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rules = policy_rules(policy=self.object)
        for rule in rules:
            rule.band_list = scoring.bands_from_json(rule.bands)
        context["rules"] = rules
        context["tiers"] = scoring.tiers_from_json(self.object.bonus_tiers)
        context["can_write"] = can_write_policy(self.request.user)
        return context


def _policy_initial(policy: IncentivePolicy) -> dict:
    initial = {
        "name": policy.name,
        "effective_from": policy.effective_from,
        "description": policy.description,
        "bonus_base": policy.bonus_base,
        "total_cap": policy.total_cap,
        "bonus_tiers": scoring.format_tiers(scoring.tiers_from_json(policy.bonus_tiers)),
    }
    for rule in rules_of(policy=policy):
        for key in ("weight", "bands", "cap", "ideal_bonus"):
            initial[f"{rule['indicator']}__{key}"] = rule[key]
    return initial


def _policy_form_page(request, *, policy: IncentivePolicy | None, initial: dict):
    if not can_write_policy(request.user):
        raise PermissionDenied
    form = PolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = policy_save(
                actor=request.user,
                policy=policy,
                name=data["name"],
                effective_from=data["effective_from"],
                description=data["description"],
                bonus_base=data["bonus_base"],
                bonus_tiers=data["bonus_tiers"],
                total_cap=data["total_cap"],
                rules=form.rules(),
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Draft saved. Publish it when it is ready."))
            return redirect(saved.get_absolute_url())
    return render(request, "performance/policy_form.html", {"form": form, "policy": policy})


@login_required
def policy_create(request):
    """A new draft version, starting from the latest version's rules (or ?from=<id>)."""
    source = None
    source_pk = id_param(request.GET, "from")
    if source_pk is not None:
        source = IncentivePolicy.objects.visible_to(request.user).filter(pk=source_pk)
        source = source.first()
    if source is None:
        source = IncentivePolicy.objects.visible_to(request.user).order_by("-version").first()
    if source is not None:
        initial = _policy_initial(source)
        initial["effective_from"] = timezone.localdate()
    else:
        initial = {"name": _("Incentive policy"), "bonus_tiers": DEFAULT_TIERS}
        for rule in DEFAULT_RULES:
            for key in ("weight", "bands", "cap", "ideal_bonus"):
                initial[f"{rule['indicator']}__{key}"] = rule[key]
    return _policy_form_page(request, policy=None, initial=initial)


@login_required
def policy_edit(request, policy_id: int):
    """Change a draft (published versions are never changed)."""
    policy = get_object_or_404(IncentivePolicy.objects.visible_to(request.user), pk=policy_id)
    if policy.is_published:
        messages.error(request, _("A published version is never changed; create a new version."))
        return redirect(policy.get_absolute_url())
    return _policy_form_page(request, policy=policy, initial=_policy_initial(policy))


@login_required
@require_POST
def policy_publish_view(request, policy_id: int):
    """Publish a draft to everyone."""
    policy = get_object_or_404(IncentivePolicy.objects.visible_to(request.user), pk=policy_id)
    try:
        policy_publish(actor=request.user, policy=policy)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The policy is published."))
    return redirect(policy.get_absolute_url())
