"""URLs of the customers app (namespace `customers`): customers and stakeholders, care,
evaluation and credit, proposals and the pipeline."""

from django.urls import path

from salesorg.customers.views import (
    care,
    credit,
    customers,
    funnel,
    location,
    photos,
    pipeline,
    stakeholders,
    surveys,
)

app_name = "customers"
urlpatterns = [
    path("", customers.customer_list, name="customers"),
    path("<int:pk>/", customers.CustomerDetail.as_view(), name="customer"),
    path("<int:pk>/contacts/add/", customers.ContactAdd.as_view(), name="contact_add"),
    path("<int:pk>/photos/add/", photos.CustomerPhotoAdd.as_view(), name="customer_photo_add"),
    path("<int:pk>/location/", location.CustomerLocationEdit.as_view(), name="customer_location"),
    path(
        "<int:pk>/decision-chain/",
        stakeholders.DecisionChainDetail.as_view(),
        name="decision_chain",
    ),
    path(
        "<int:pk>/follow-ups/add/",
        customers.CustomerFollowUpAdd.as_view(),
        name="customer_follow_up_add",
    ),
    path("<int:pk>/rewards/add/", care.RewardAdd.as_view(), name="reward_add"),
    path("<int:pk>/referrals/add/", care.ReferralAdd.as_view(), name="referral_add"),
    path("<int:pk>/surveys/add/", care.SurveyAdd.as_view(), name="survey_add"),
    path(
        "<int:customer_id>/survey-links/add/",
        surveys.survey_link_add,
        name="survey_link_add",
    ),
    # The public survey page: the signed token is its only key (no login).
    path("survey/<str:token>/", surveys.survey_answer, name="survey_answer"),
    path("satisfaction/", surveys.satisfaction_report, name="satisfaction"),
    path("contacts/<int:pk>/", customers.ContactDetail.as_view(), name="contact"),
    path("contacts/<int:pk>/edit/", customers.ContactEdit.as_view(), name="contact_edit"),
    path("contacts/<int:pk>/left/", customers.ContactLeave.as_view(), name="contact_leave"),
    path(
        "contacts/<int:pk>/follow-ups/add/",
        customers.ContactFollowUpAdd.as_view(),
        name="contact_follow_up_add",
    ),
    path("referrals/", care.referral_list, name="referrals"),
    path("rewards/", care.reward_list, name="rewards"),
    path("rewards/<int:reward_id>/approve/", care.reward_approve_view, name="reward_approve"),
    path("settings/", care.care_settings, name="settings"),
    path(
        "<int:customer_id>/evaluate/",
        credit.customer_reevaluate,
        name="customer_reevaluate",
    ),
    path("evaluations/", credit.evaluation_list, name="evaluations"),
    path("evaluations/<int:pk>/", credit.EvaluationDetail.as_view(), name="evaluation"),
    path("evaluations/settings/", credit.scoring_settings, name="scoring_settings"),
    path("downgrades/", credit.root_cause_list, name="root_causes"),
    path("downgrades/<int:pk>/", credit.RootCauseDetail.as_view(), name="root_cause"),
    path(
        "downgrades/<int:root_cause_id>/complete/",
        credit.root_cause_complete,
        name="root_cause_complete",
    ),
    path(
        "downgrades/<int:root_cause_id>/actions/",
        credit.root_cause_action_add,
        name="root_cause_action_add",
    ),
    path(
        "downgrades/<int:root_cause_id>/review/",
        credit.root_cause_review,
        name="root_cause_review",
    ),
    path("credit-approvals/", credit.credit_approval_list, name="credit_approvals"),
    path(
        "credit-approvals/<int:pk>/",
        credit.CreditApprovalDetail.as_view(),
        name="credit_approval",
    ),
    path(
        "credit-approvals/<int:approval_id>/decide/",
        credit.credit_approval_decide,
        name="credit_approval_decide",
    ),
    path("proposals/", pipeline.proposal_list, name="proposals"),
    path("proposals/new/", pipeline.proposal_add, name="proposal_add"),
    path("proposals/<int:pk>/", pipeline.ProposalDetail.as_view(), name="proposal"),
    path("proposals/<int:proposal_id>/edit/", pipeline.proposal_edit, name="proposal_edit"),
    path(
        "proposals/<int:proposal_id>/decide/",
        pipeline.proposal_decide,
        name="proposal_decide",
    ),
    path("pipeline/", pipeline.pipeline_list, name="pipeline"),
    path("pipeline/funnel/", funnel.pipeline_funnel, name="pipeline_funnel"),
    path("pipeline/<int:pk>/", pipeline.PipelineItemDetail.as_view(), name="pipeline_item"),
    path(
        "pipeline/<int:item_id>/steps/<int:step_id>/",
        pipeline.pipeline_step_tick,
        name="pipeline_step_tick",
    ),
    path(
        "pipeline/<int:item_id>/advance/",
        pipeline.pipeline_item_advance,
        name="pipeline_item_advance",
    ),
    path(
        "pipeline/<int:item_id>/close/",
        pipeline.pipeline_item_close,
        name="pipeline_item_close",
    ),
]
