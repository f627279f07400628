"""Routes of the job runs page."""

from django.urls import path

from salesorg.core import scheduler_views

app_name = "jobs"

urlpatterns = [
    path("", scheduler_views.job_run_list, name="runs"),
]
