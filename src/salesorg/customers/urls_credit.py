"""URLs of customer evaluation, credit control, proposals and the pipeline (included by
customers/urls.py, in the `customers` namespace)."""

from django.urls import path

from salesorg.customers import views_credit, views_pipeline

urlpatterns = [
    path(
        "<int:customer_id>/evaluate/",
        views_credit.customer_reevaluate,
        name="customer_reevaluate",
    ),
    path("evaluations/", views_credit.evaluation_list, name="evaluations"),
    path("evaluations/<int:pk>/", views_credit.EvaluationDetail.as_view(), name="evaluation"),
    path("evaluations/settings/", views_credit.scoring_settings, name="scoring_settings"),
    path("downgrades/", views_credit.root_cause_list, name="root_causes"),
    path("downgrades/<int:pk>/", views_credit.RootCauseDetail.as_view(), name="root_cause"),
    path(
        "downgrades/<int:root_cause_id>/complete/",
        views_credit.root_cause_complete,
        name="root_cause_complete",
    ),
    path(
        "downgrades/<int:root_cause_id>/review/",
        views_credit.root_cause_review,
        name="root_cause_review",
    ),
    path("credit-approvals/", views_credit.credit_approval_list, name="credit_approvals"),
    path(
        "credit-approvals/<int:pk>/",
        views_credit.CreditApprovalDetail.as_view(),
        name="credit_approval",
    ),
    path(
        "credit-approvals/<int:approval_id>/decide/",
        views_credit.credit_approval_decide,
        name="credit_approval_decide",
    ),
    path("proposals/", views_pipeline.proposal_list, name="proposals"),
    path("proposals/new/", views_pipeline.proposal_add, name="proposal_add"),
    path("proposals/<int:pk>/", views_pipeline.ProposalDetail.as_view(), name="proposal"),
    path("proposals/<int:proposal_id>/edit/", views_pipeline.proposal_edit, name="proposal_edit"),
    path(
        "proposals/<int:proposal_id>/decide/",
        views_pipeline.proposal_decide,
        name="proposal_decide",
    ),
    path("pipeline/", views_pipeline.pipeline_list, name="pipeline"),
    path("pipeline/<int:pk>/", views_pipeline.PipelineItemDetail.as_view(), name="pipeline_item"),
    path(
        "pipeline/<int:item_id>/steps/<int:step_id>/",
        views_pipeline.pipeline_step_tick,
        name="pipeline_step_tick",
    ),
    path(
        "pipeline/<int:item_id>/advance/",
        views_pipeline.pipeline_item_advance,
        name="pipeline_item_advance",
    ),
    path(
        "pipeline/<int:item_id>/close/",
        views_pipeline.pipeline_item_close,
        name="pipeline_item_close",
    ),
]
