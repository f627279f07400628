"""Routes of the notification centre."""

from django.urls import path

from salesorg.core import notification_views

app_name = "notifications"

urlpatterns = [
    path("", notification_views.notification_centre, name="list"),
    path("open/", notification_views.notification_open, name="open"),
    path("read/", notification_views.notification_read, name="read"),
    path("preferences/", notification_views.notification_preferences, name="preferences"),
]
