"""The pages of targets: action items, quarterly reviews, PDCA and standards, the planning
cycle."""

from django.urls import path

from salesorg.targets.views import action_items, grid, pdca, plans, reviews

app_name = "targets"
urlpatterns = [
    path("actions/", action_items.action_item_list, name="action_items"),
    path("actions/<int:pk>/", action_items.ActionItemDetail.as_view(), name="action_item"),
    path(
        "actions/<int:item_id>/status/", action_items.action_item_status, name="action_item_status"
    ),
    # Quarterly reviews (S10)
    path("reviews/", reviews.review_index, name="reviews"),
    path("reviews/start/", reviews.review_start, name="review_start"),
    path("reviews/<int:pk>/", reviews.ReviewDetail.as_view(), name="review"),
    path("reviews/<int:review_id>/answers/", reviews.review_answers, name="review_answers"),
    path("reviews/<int:review_id>/decision/", reviews.review_decision, name="review_decision"),
    # PDCA (S8) and the standards library
    path("pdca/", pdca.pdca_list, name="pdca"),
    path("pdca/new/", pdca.pdca_create, name="pdca_new"),
    path("pdca/<int:pk>/", pdca.PdcaPlanDetail.as_view(), name="pdca_plan"),
    path("pdca/<int:plan_id>/measures/", pdca.pdca_measure, name="pdca_measure"),
    path("pdca/<int:plan_id>/checks/", pdca.pdca_check, name="pdca_check"),
    path("pdca/<int:plan_id>/problems/", pdca.pdca_problem, name="pdca_problem"),
    path("pdca/<int:plan_id>/advance/", pdca.pdca_advance, name="pdca_advance"),
    path("pdca/<int:plan_id>/promote/", pdca.pdca_promote, name="pdca_promote"),
    path("pdca/problems/<int:problem_id>/actions/", pdca.pdca_action, name="pdca_action"),
    path("standards/", pdca.standard_index, name="standards"),
    path("standards/new/", pdca.standard_new, name="standard_new"),
    path("standards/<int:pk>/", pdca.StandardDetail.as_view(), name="standard"),
    path(
        "standards/<int:standard_id>/versions/",
        pdca.standard_version_new,
        name="standard_version_new",
    ),
    path(
        "standards/versions/<int:pk>/",
        pdca.StandardVersionDetail.as_view(),
        name="standard_version",
    ),
    path(
        "standards/versions/<int:version_id>/edit/",
        pdca.standard_draft_edit,
        name="standard_draft_edit",
    ),
    path(
        "standards/versions/<int:version_id>/approve/",
        pdca.standard_version_approval,
        name="standard_version_approve",
    ),
    # Research → goals → plans → targets (S1, S9)
    path("research/", plans.research_list, name="research"),
    path("research/new/", plans.research_create, name="research_new"),
    path("research/<int:pk>/edit/", plans.ResearchNoteEdit.as_view(), name="research_edit"),
    path("plans/", plans.plan_list, name="plans"),
    path("plans/new/", plans.plan_create, name="plan_new"),
    path("plans/<int:pk>/", plans.SalesPlanDetail.as_view(), name="plan"),
    path("plans/<int:pk>/edit/", plans.SalesPlanEdit.as_view(), name="plan_edit"),
    path("plans/<int:plan_id>/grid/", grid.plan_grid, name="plan_grid"),
    path("plans/<int:plan_id>/decompose/", grid.plan_decompose, name="plan_decompose"),
    path(
        "plans/<int:plan_id>/publish-unit/",
        grid.plan_unit_publish_view,
        name="plan_unit_publish",
    ),
    path("plans/<int:plan_id>/publish/", plans.plan_publish_view, name="plan_publish"),
    path("plans/<int:plan_id>/proposals/", grid.plan_proposals, name="plan_proposals"),
    path(
        "revisions/<int:revision_id>/decision/",
        plans.revision_decision,
        name="revision_decision",
    ),
    path("goals/new/", plans.goal_create, name="goal_new"),
    path("goals/<int:pk>/edit/", plans.CompanyGoalEdit.as_view(), name="goal_edit"),
    path("people/<int:person_id>/targets/", plans.person_targets, name="person_targets"),
]
