"""Admin of the customers app: customers and contacts, care (settings, rewards, referrals,
surveys), the scoring model, evaluations, root causes, credit approvals and the pipeline."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from salesorg.core.versioned_admin import VersionedAdminForm
from salesorg.customers.models import (
    CareSettings,
    Contact,
    CreditApproval,
    Customer,
    CustomerEvaluation,
    DevelopmentProposal,
    PipelineItem,
    PipelineStage,
    PipelineStep,
    Referral,
    Reward,
    RootCause,
    SatisfactionSurvey,
    ScoringModel,
)


class ContactInline(admin.TabularInline):
    """The customer's contacts, read only: a contact is changed on its own page, whose form
    carries the contact's version."""

    model = Contact
    extra = 0
    fields = ["code", "name", "title", "role", "influence", "attitude", "status", "phone", "email"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Customer)
class CustomerAdmin(SimpleHistoryAdmin):
    form = VersionedAdminForm
    list_display = ["code", "name", "industry", "region", "owner", "created_date"]
    list_filter = ["region", "industry"]
    list_select_related = ["region", "owner"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["owner", "region"]
    inlines = [ContactInline]


@admin.register(Contact)
class ContactAdmin(SimpleHistoryAdmin):
    form = VersionedAdminForm
    list_display = ["code", "name", "customer", "title", "role"]
    list_filter = ["role"]
    list_select_related = ["customer"]
    search_fields = ["code", "name", "customer__name"]
    autocomplete_fields = ["customer"]


# --- care ----------------------------------------------------------------------------------------


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
    list_display = ["customer", "kind", "value", "granted_on", "approved_by", "approved_at"]
    list_filter = ["kind"]
    list_select_related = ["customer", "approved_by"]
    search_fields = ["customer__code", "customer__name"]
    autocomplete_fields = ["customer", "created_by"]
    # Approved only by the approver's own approval (customers.services.care.reward_approve).
    readonly_fields = ["approved_by", "approved_at"]


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


# --- evaluation, credit and the pipeline ---------------------------------------------------------


@admin.register(ScoringModel)
class ScoringModelAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "threshold_aaa", "threshold_aa", "threshold_a", "threshold_b"]


@admin.register(CustomerEvaluation)
class CustomerEvaluationAdmin(admin.ModelAdmin):
    list_display = ["customer", "as_of", "score", "rating", "previous_rating"]
    list_filter = ["rating", "as_of"]
    list_select_related = ["customer"]
    search_fields = ["customer__code", "customer__name"]
    raw_id_fields = ["customer"]


@admin.register(RootCause)
class RootCauseAdmin(SimpleHistoryAdmin):
    list_display = ["customer", "from_rating", "to_rating", "status", "owner", "reviewer"]
    list_filter = ["status", "cause_category"]
    list_select_related = ["customer", "owner", "reviewer"]
    raw_id_fields = ["evaluation", "customer", "owner", "reviewer", "reviewed_by"]


@admin.register(CreditApproval)
class CreditApprovalAdmin(SimpleHistoryAdmin):
    list_display = ["order", "status", "order_amount", "requested_at", "decided_by"]
    list_filter = ["status"]
    raw_id_fields = ["order", "requested_by", "decided_by"]


class PipelineStepInline(admin.TabularInline):
    model = PipelineStep
    extra = 1
    fields = ["position", "text", "text_en", "required"]


@admin.register(PipelineStage)
class PipelineStageAdmin(SimpleHistoryAdmin):
    list_display = ["name", "name_en", "position", "active"]
    inlines = [PipelineStepInline]


@admin.register(DevelopmentProposal)
class DevelopmentProposalAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "rep", "status", "expected_sales", "submitted_at"]
    list_filter = ["status"]
    raw_id_fields = ["rep", "customer", "decided_by"]


@admin.register(PipelineItem)
class PipelineItemAdmin(SimpleHistoryAdmin):
    list_display = ["name", "rep", "stage", "status"]
    list_filter = ["status", "stage"]
    raw_id_fields = ["proposal", "rep", "customer"]
