"""URLs of the interchange app."""

from django.urls import path

from salesorg.interchange import views

app_name = "interchange"
urlpatterns = [
    path("import/", views.import_upload, name="import"),
]
