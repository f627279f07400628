"""Routes of photos (attaching one is routed by each app, under its record's page)."""

from django.urls import path

from salesorg.core import photo_views

app_name = "photos"

urlpatterns = [
    path("<int:pk>/", photo_views.PhotoFile.as_view(), name="file"),
    path("<int:pk>/thumbnail/", photo_views.PhotoThumbnail.as_view(), name="thumbnail"),
    path("<int:pk>/delete/", photo_views.PhotoDelete.as_view(), name="delete"),
]
