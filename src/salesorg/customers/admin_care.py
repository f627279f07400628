"""Admin of customer care: the settings row, rewards, referrals and surveys."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from salesorg.customers.models import (
    CareSettings,
    Referral,
    Reward,
    SatisfactionSurvey,
)


@admin.register(CareSettings)
class CareSettingsAdmin(SimpleHistoryAdmin):
    list_display = [
        "__str__",
        "established_after_months",
        "dormant_after_days",
        "lost_after_days",
        "reward_share_percent",
    ]

    def has_add_permission(self, request) -> bool:
        return not CareSettings.objects.exists()


@admin.register(Reward)
class RewardAdmin(SimpleHistoryAdmin):
    list_display = ["customer", "kind", "value", "granted_on", "approved_by"]
    list_filter = ["kind"]
    list_select_related = ["customer", "approved_by"]
    search_fields = ["customer__code", "customer__name"]
    autocomplete_fields = ["customer", "approved_by", "created_by"]


@admin.register(Referral)
class ReferralAdmin(SimpleHistoryAdmin):
    list_display = ["referrer", "referred", "referred_on"]
    list_select_related = ["referrer", "referred"]
    search_fields = ["referrer__name", "referred__name"]
    autocomplete_fields = ["referrer", "referred", "created_by"]


@admin.register(SatisfactionSurvey)
class SatisfactionSurveyAdmin(SimpleHistoryAdmin):
    list_display = ["customer", "surveyed_on", "overall", "visit"]
    list_filter = ["overall"]
    list_select_related = ["customer", "visit"]
    search_fields = ["customer__code", "customer__name", "comment"]
    autocomplete_fields = ["customer", "visit", "recorded_by"]
