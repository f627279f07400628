"""URLs of the development app: training (here) and coaching (its own module, added below)."""

from django.urls import path

from salesorg.development import urls_coaching, views

app_name = "development"
urlpatterns = [
    path("training/", views.material_list, name="materials"),
    path("training/new/", views.material_create, name="material_create"),
    path("training/<int:pk>/", views.MaterialDetail.as_view(), name="material_detail"),
    path("training/<int:pk>/edit/", views.MaterialEdit.as_view(), name="material_edit"),
    path(
        "training/<int:material_id>/attachment/",
        views.attachment_download,
        name="material_attachment",
    ),
    path("training/mine/", views.my_training, name="my_training"),
    path("training/team/", views.team_training, name="team_training"),
    path("training/assign/", views.assign, name="assign"),
    path(
        "training/assignments/<int:pk>/",
        views.AssignmentDetail.as_view(),
        name="assignment_detail",
    ),
    path("culture/", views.culture_page, name="culture"),
    path("culture/edit/", views.culture_edit, name="culture_edit"),
    path("culture/praise/", views.recognition_create, name="recognition_create"),
    path(
        "culture/teams/<int:team_id>/recognitions/",
        views.team_recognitions,
        name="team_recognitions",
    ),
    *urls_coaching.urlpatterns,
]
