from django.urls import path

from salesorg.performance.views import dashboards, kpi, meetings, policies, scorecards

app_name = "performance"
urlpatterns = [
    path("kpi/", kpi.kpi, name="kpi"),
    path("dashboards/", dashboards.dashboard_index, name="dashboards"),
    path("dashboards/<slug:slug>/", dashboards.dashboard, name="dashboard"),
    # Incentive policies (views.policies), scorecards and the period report (views.scorecards)
    path("policies/", policies.policy_list, name="policy_list"),
    path("policies/new/", policies.policy_create, name="policy_create"),
    path("policies/<int:pk>/", policies.PolicyDetail.as_view(), name="policy_detail"),
    path("policies/<int:policy_id>/edit/", policies.policy_edit, name="policy_edit"),
    path(
        "policies/<int:policy_id>/publish/",
        policies.policy_publish_view,
        name="policy_publish",
    ),
    path("scorecards/", scorecards.scorecard_period_list, name="scorecards"),
    path(
        "scorecards/<int:pk>/",
        scorecards.ScorecardPeriodDetail.as_view(),
        name="scorecard_period",
    ),
    path(
        "scorecards/<int:period_id>/close/",
        scorecards.scorecard_close,
        name="scorecard_close",
    ),
    path(
        "scorecards/<int:period_id>/reopen/",
        scorecards.scorecard_reopen,
        name="scorecard_reopen",
    ),
    path(
        "scorecards/<int:period_id>/recompute/",
        scorecards.scorecard_recompute,
        name="scorecard_recompute",
    ),
    path(
        "scorecards/card/<int:pk>/",
        scorecards.ScorecardDetail.as_view(),
        name="scorecard_detail",
    ),
    path("teams/<int:team_id>/report/", scorecards.period_report, name="period_report"),
    # Sales meetings (views.meetings)
    path("meetings/", meetings.meeting_list, name="meetings"),
    path("meetings/new/", meetings.meeting_new, name="meeting_create"),
    path("meetings/<int:pk>/", meetings.MeetingDetail.as_view(), name="meeting_detail"),
    path(
        "meetings/<int:meeting_id>/minutes/",
        meetings.meeting_minutes,
        name="meeting_minutes",
    ),
    path(
        "meetings/items/<int:item_id>/",
        meetings.meeting_item_save,
        name="meeting_item_save",
    ),
]
