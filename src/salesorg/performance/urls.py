from django.urls import path

from salesorg.performance import views, views_dashboards, views_meetings, views_scorecards

app_name = "performance"
urlpatterns = [
    path("kpi/", views.kpi, name="kpi"),
    path("dashboards/", views_dashboards.dashboard_index, name="dashboards"),
    path("dashboards/<slug:slug>/", views_dashboards.dashboard, name="dashboard"),
    # Incentive policies, scorecards, period report (views_scorecards)
    path("policies/", views_scorecards.policy_list, name="policy_list"),
    path("policies/new/", views_scorecards.policy_create, name="policy_create"),
    path("policies/<int:pk>/", views_scorecards.PolicyDetail.as_view(), name="policy_detail"),
    path("policies/<int:policy_id>/edit/", views_scorecards.policy_edit, name="policy_edit"),
    path(
        "policies/<int:policy_id>/publish/",
        views_scorecards.policy_publish_view,
        name="policy_publish",
    ),
    path("scorecards/", views_scorecards.scorecard_period_list, name="scorecards"),
    path(
        "scorecards/<int:pk>/",
        views_scorecards.ScorecardPeriodDetail.as_view(),
        name="scorecard_period",
    ),
    path(
        "scorecards/<int:period_id>/close/",
        views_scorecards.scorecard_close,
        name="scorecard_close",
    ),
    path(
        "scorecards/<int:period_id>/reopen/",
        views_scorecards.scorecard_reopen,
        name="scorecard_reopen",
    ),
    path(
        "scorecards/<int:period_id>/recompute/",
        views_scorecards.scorecard_recompute,
        name="scorecard_recompute",
    ),
    path(
        "scorecards/card/<int:pk>/",
        views_scorecards.ScorecardDetail.as_view(),
        name="scorecard_detail",
    ),
    path("teams/<int:team_id>/report/", views_scorecards.period_report, name="period_report"),
    # Sales meetings (views_meetings)
    path("meetings/", views_meetings.meeting_list, name="meetings"),
    path("meetings/new/", views_meetings.meeting_new, name="meeting_create"),
    path("meetings/<int:pk>/", views_meetings.MeetingDetail.as_view(), name="meeting_detail"),
    path(
        "meetings/<int:meeting_id>/minutes/",
        views_meetings.meeting_minutes,
        name="meeting_minutes",
    ),
    path(
        "meetings/items/<int:item_id>/",
        views_meetings.meeting_item_save,
        name="meeting_item_save",
    ),
]
