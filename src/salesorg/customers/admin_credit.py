"""Admin of the scoring model, evaluations, root causes, credit approvals, proposals and the
pipeline stages (imported by customers/admin.py)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from salesorg.customers.models import (
    CreditApproval,
    CustomerEvaluation,
    DevelopmentProposal,
    PipelineItem,
    PipelineStage,
    PipelineStep,
    RootCause,
    ScoringModel,
)


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
