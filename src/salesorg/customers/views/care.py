"""Pages of old-customer care (S16) and satisfaction (S4): rewards, referrals, satisfaction
surveys, the referrals report and the care settings."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from salesorg.core.exports import csv_response, xlsx_response
from salesorg.core.money import quantize_cents
from salesorg.core.roles import role_of
from salesorg.customers.choices import RewardStatus
from salesorg.customers.forms import CareSettingsForm, ReferralForm, RewardForm, SurveyForm
from salesorg.customers.models import CareSettings, Referral, Reward, SatisfactionSurvey
from salesorg.customers.permissions import (
    can_approve_reward,
    can_change_care_settings,
    can_record_referral,
    can_record_reward,
    can_record_survey,
)
from salesorg.customers.selectors.care import referral_report, reward_budget
from salesorg.customers.selectors.care import reward_list as reward_list_of
from salesorg.customers.services.care import (
    care_settings_save,
    referral_save,
    reward_approve,
    reward_save,
    survey_save,
)
from salesorg.customers.views.customers import (
    PAGE_SIZE,
    CustomerRecordAdd,
)


class RewardAdd(CustomerRecordAdd):
    """Record a reward drawn against the customer's reward budget."""

    permission_model = Reward
    record_permission = staticmethod(can_record_reward)
    title = _("New reward")

    def permission_record(self, obj):
        return Reward(customer=obj)

    def form(self, data=None):
        return RewardForm(data, user=self.request.user)

    def extra_context_for(self, form) -> dict:
        return {"budget": reward_budget(customer=self.object)}

    def save(self, form):
        data = form.cleaned_data
        reward = Reward(
            customer=self.object,
            kind=data["kind"],
            value=data["value"],
            granted_on=data["granted_on"],
            note=data["note"],
        )
        reward_save(instance=reward, actor=self.request.user)
        messages.info(self.request, _("The reward awaits its approver's approval."))


# --- rewards awaiting approval ------------------------------------------------------------------


@login_required
def reward_list(request: HttpRequest) -> HttpResponse:
    """Rewards in scope, filtered by approval status; the approver approves each here."""
    status = request.GET.get("status", "")
    if status not in RewardStatus.values:
        status = ""
    page = Paginator(reward_list_of(user=request.user, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for reward in page.object_list:
        reward.can_approve = not reward.is_approved and can_approve_reward(request.user, reward)
    context = {"page": page, "status": status, "statuses": RewardStatus.choices}
    return render(request, "customers/reward_list.html", context)


@login_required
@require_POST
def reward_approve_view(request: HttpRequest, reward_id: int) -> HttpResponse:
    """The approver approves a reward with their own login."""
    reward = get_object_or_404(Reward.objects.visible_to(request.user), pk=reward_id)
    try:
        reward_approve(reward=reward, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Reward approved."))
    return redirect(f"{reverse('customers:rewards')}?status=pending")


class ReferralAdd(CustomerRecordAdd):
    """Record that this customer introduced another one."""

    permission_model = Referral
    record_permission = staticmethod(can_record_referral)
    title = _("New referral")

    def permission_record(self, obj):
        return Referral(referrer=obj)

    def save(self, form):
        data = form.cleaned_data
        referral = Referral(
            referrer=self.object,
            referred=data["referred"],
            referred_on=data["referred_on"],
            note=data["note"],
        )
        referral_save(instance=referral, actor=self.request.user)

    form_class = ReferralForm


class SurveyAdd(CustomerRecordAdd):
    """Record a satisfaction survey of the customer (after a visit or service call)."""

    permission_model = SatisfactionSurvey
    record_permission = staticmethod(can_record_survey)
    title = _("New satisfaction survey")
    form_class = SurveyForm

    def permission_record(self, obj):
        return SatisfactionSurvey(customer=obj)

    def save(self, form):
        data = form.cleaned_data
        survey = SatisfactionSurvey(
            customer=self.object,
            visit=data["visit"],
            surveyed_on=data["surveyed_on"],
            overall=data["overall"],
            comment=data["comment"],
        )
        survey_save(instance=survey, actor=self.request.user)


# --- referrals report ---------------------------------------------------------------------------


@login_required
def referral_list(request: HttpRequest) -> HttpResponse:
    """Referrals in scope with the referred customers' sales; CSV and Excel export."""
    search = request.GET.get("q", "").strip()
    referrals = referral_report(user=request.user, search=search)
    export = request.GET.get("format")
    if export in ("csv", "xlsx"):
        header = [
            _("Introduced by"),
            _("Introduced by (name)"),
            _("Introduced customer"),
            _("Introduced customer (name)"),
            _("Date"),
            _("Sales of the introduced customer"),
            _("Sales in the last 12 months"),
            _("Note"),
        ]
        rows = (
            [
                r.referrer.code,
                r.referrer.name,
                r.referred.code,
                r.referred.name,
                r.referred_on if export == "xlsx" else r.referred_on.isoformat(),
                quantize_cents(Decimal(r.referred_sales_cents) / 100),
                quantize_cents(Decimal(r.referred_recent_cents) / 100),
                r.note,
            ]
            for r in referrals
        )
        if export == "xlsx":
            return xlsx_response("referrals.xlsx", header, rows)
        return csv_response("referrals.csv", header, rows)
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    for referral in page.object_list:
        referral.referred_sales = Decimal(referral.referred_sales_cents) / 100
        referral.referred_recent = Decimal(referral.referred_recent_cents) / 100
    return render(request, "customers/referral_list.html", {"page": page, "search": search})


# --- settings -----------------------------------------------------------------------------------


@login_required
def care_settings(request: HttpRequest) -> HttpResponse:
    """Lifecycle thresholds and the reward share: director and admin."""
    if not can_change_care_settings(request.user):
        raise PermissionDenied
    instance = CareSettings.current()
    form = CareSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            counts = care_settings_save(instance=form.instance, actor=request.user)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(
                request,
                _("Saved. Lifecycle stages recomputed: %(count)s customers changed.")
                % {"count": counts["changed"]},
            )
            return redirect("customers:settings")
    context = {"form": form, "title": _("Customer care settings"), "role": role_of(request.user)}
    return render(request, "customers/settings.html", context)
