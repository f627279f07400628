"""URLs of the development app: training, culture, coaching, joint visits, targeted training
and personnel reviews."""

from django.urls import path

from salesorg.development.views import (
    coaching,
    coaching_plan,
    culture,
    handover,
    joint_visits,
    personnel,
    targeted,
    training,
)

app_name = "development"
urlpatterns = [
    path("training/", training.material_list, name="materials"),
    path("training/new/", training.material_create, name="material_create"),
    path("training/<int:pk>/", training.MaterialDetail.as_view(), name="material_detail"),
    path("training/<int:pk>/edit/", training.MaterialEdit.as_view(), name="material_edit"),
    path(
        "training/<int:material_id>/attachment/",
        training.attachment_download,
        name="material_attachment",
    ),
    path("training/mine/", training.my_training, name="my_training"),
    path("training/team/", training.team_training, name="team_training"),
    path("training/assign/", training.assign, name="assign"),
    path(
        "training/assignments/<int:pk>/",
        training.AssignmentDetail.as_view(),
        name="assignment_detail",
    ),
    path("culture/", culture.culture_page, name="culture"),
    path("culture/edit/", culture.culture_edit, name="culture_edit"),
    path("culture/praise/", culture.recognition_create, name="recognition_create"),
    path(
        "culture/teams/<int:team_id>/recognitions/",
        culture.team_recognitions,
        name="team_recognitions",
    ),
    path("coaching/", coaching.coaching_list, name="coaching"),
    path("coaching/new/", coaching.coaching_new, name="coaching_new"),
    path("coaching/<int:pk>/", coaching.CoachingSessionDetail.as_view(), name="coaching_session"),
    path(
        "coaching/<int:session_id>/follow-up/",
        coaching.coaching_follow_up,
        name="coaching_follow_up",
    ),
    path(
        "coaching/<int:session_id>/comments/",
        coaching_plan.plan_comment,
        name="coaching_plan_comment",
    ),
    path("coaching/<int:session_id>/agree/", coaching_plan.plan_agree, name="coaching_plan_agree"),
    path("coaching/<int:session_id>/plan/", coaching_plan.plan_change, name="coaching_plan_change"),
    path("joint-visits/", joint_visits.joint_visit_list, name="joint_visits"),
    path(
        "joint-visits/visits/<int:visit_id>/review/",
        joint_visits.joint_review_new,
        name="joint_review_new",
    ),
    path(
        "joint-visits/<int:pk>/", joint_visits.JointVisitReviewDetail.as_view(), name="joint_review"
    ),
    path(
        "joint-visits/<int:review_id>/points/",
        joint_visits.joint_review_point,
        name="joint_review_point",
    ),
    path("joint-visits/people/<int:person_id>/", joint_visits.joint_chart, name="joint_chart"),
    path("targeted/", targeted.targeted_list, name="targeted"),
    path(
        "targeted/proposals/<int:proposal_id>/decide/",
        targeted.targeted_decide,
        name="targeted_decide",
    ),
    path("targeted/rules/new/", targeted.targeted_rule_edit, name="targeted_rule_new"),
    path("targeted/rules/<int:rule_id>/", targeted.targeted_rule_edit, name="targeted_rule"),
    path("personnel/", personnel.personnel_list, name="personnel"),
    path("personnel/new/", personnel.personnel_new, name="personnel_new"),
    path("personnel/<int:pk>/", personnel.PersonnelReviewDetail.as_view(), name="personnel_review"),
    path("personnel/<int:review_id>/decide/", personnel.personnel_decide, name="personnel_decide"),
    path("handover/<int:person_id>/", handover.handover, name="handover"),
    path("leavers/", handover.leaver_check, name="leaver_check"),
]
