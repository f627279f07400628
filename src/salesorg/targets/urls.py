from django.urls import path

from salesorg.targets import views, views_pdca, views_plans, views_reviews

app_name = "targets"
urlpatterns = [
    path("actions/", views.action_item_list, name="action_items"),
    path("actions/<int:pk>/", views.ActionItemDetail.as_view(), name="action_item"),
    path("actions/<int:item_id>/status/", views.action_item_status, name="action_item_status"),
    # Quarterly reviews (S10)
    path("reviews/", views_reviews.review_index, name="reviews"),
    path("reviews/start/", views_reviews.review_start, name="review_start"),
    path("reviews/<int:pk>/", views_reviews.ReviewDetail.as_view(), name="review"),
    path("reviews/<int:review_id>/answers/", views_reviews.review_answers, name="review_answers"),
    path(
        "reviews/<int:review_id>/decision/", views_reviews.review_decision, name="review_decision"
    ),
    # PDCA (S8) and the standards library
    path("pdca/", views_pdca.pdca_list, name="pdca"),
    path("pdca/new/", views_pdca.pdca_create, name="pdca_new"),
    path("pdca/<int:pk>/", views_pdca.PdcaPlanDetail.as_view(), name="pdca_plan"),
    path("pdca/<int:plan_id>/measures/", views_pdca.pdca_measure, name="pdca_measure"),
    path("pdca/<int:plan_id>/checks/", views_pdca.pdca_check, name="pdca_check"),
    path("pdca/<int:plan_id>/problems/", views_pdca.pdca_problem, name="pdca_problem"),
    path("pdca/<int:plan_id>/advance/", views_pdca.pdca_advance, name="pdca_advance"),
    path("pdca/<int:plan_id>/promote/", views_pdca.pdca_promote, name="pdca_promote"),
    path("pdca/problems/<int:problem_id>/actions/", views_pdca.pdca_action, name="pdca_action"),
    path("standards/", views_pdca.standard_index, name="standards"),
    path("standards/new/", views_pdca.standard_new, name="standard_new"),
    path("standards/<int:pk>/", views_pdca.StandardDetail.as_view(), name="standard"),
    path(
        "standards/<int:standard_id>/versions/",
        views_pdca.standard_version_new,
        name="standard_version_new",
    ),
    path(
        "standards/versions/<int:version_id>/approve/",
        views_pdca.standard_version_approval,
        name="standard_version_approve",
    ),
    # Research → goals → plans → targets (S1, S9)
    path("research/", views_plans.research_list, name="research"),
    path("research/new/", views_plans.research_create, name="research_new"),
    path("research/<int:pk>/edit/", views_plans.ResearchNoteEdit.as_view(), name="research_edit"),
    path("plans/", views_plans.plan_list, name="plans"),
    path("plans/new/", views_plans.plan_create, name="plan_new"),
    path("plans/<int:pk>/", views_plans.SalesPlanDetail.as_view(), name="plan"),
    path("plans/<int:pk>/edit/", views_plans.SalesPlanEdit.as_view(), name="plan_edit"),
    path("plans/<int:plan_id>/grid/", views_plans.plan_grid, name="plan_grid"),
    path("plans/<int:plan_id>/decompose/", views_plans.plan_decompose, name="plan_decompose"),
    path(
        "plans/<int:plan_id>/publish-unit/",
        views_plans.plan_unit_publish_view,
        name="plan_unit_publish",
    ),
    path("plans/<int:plan_id>/publish/", views_plans.plan_publish_view, name="plan_publish"),
    path("plans/<int:plan_id>/proposals/", views_plans.plan_proposals, name="plan_proposals"),
    path("goals/new/", views_plans.goal_create, name="goal_new"),
    path("goals/<int:pk>/edit/", views_plans.CompanyGoalEdit.as_view(), name="goal_edit"),
    path("people/<int:person_id>/targets/", views_plans.person_targets, name="person_targets"),
]
