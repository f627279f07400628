"""URLs of coaching, joint-visit reviews, targeted training and personnel reviews."""

from django.urls import path

from salesorg.development import views_coaching as views

urlpatterns = [
    path("coaching/", views.coaching_list, name="coaching"),
    path("coaching/new/", views.coaching_new, name="coaching_new"),
    path("coaching/<int:pk>/", views.CoachingSessionDetail.as_view(), name="coaching_session"),
    path(
        "coaching/<int:session_id>/follow-up/",
        views.coaching_follow_up,
        name="coaching_follow_up",
    ),
    path("joint-visits/", views.joint_visit_list, name="joint_visits"),
    path(
        "joint-visits/visits/<int:visit_id>/review/",
        views.joint_review_new,
        name="joint_review_new",
    ),
    path("joint-visits/<int:pk>/", views.JointVisitReviewDetail.as_view(), name="joint_review"),
    path("joint-visits/people/<int:person_id>/", views.joint_chart, name="joint_chart"),
    path("targeted/", views.targeted_list, name="targeted"),
    path(
        "targeted/proposals/<int:proposal_id>/decide/",
        views.targeted_decide,
        name="targeted_decide",
    ),
    path("targeted/rules/new/", views.targeted_rule_edit, name="targeted_rule_new"),
    path("targeted/rules/<int:rule_id>/", views.targeted_rule_edit, name="targeted_rule"),
    path("personnel/", views.personnel_list, name="personnel"),
    path("personnel/new/", views.personnel_new, name="personnel_new"),
    path("personnel/<int:pk>/", views.PersonnelReviewDetail.as_view(), name="personnel_review"),
    path("personnel/<int:review_id>/decide/", views.personnel_decide, name="personnel_decide"),
]
