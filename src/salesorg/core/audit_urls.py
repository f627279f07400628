"""Routes of the audit trail."""

from django.urls import path

from salesorg.core import audit_views

app_name = "audit"

urlpatterns = [
    path(
        "<slug:app_label>/<slug:model_name>/<int:object_id>/history/",
        audit_views.record_history,
        name="history",
    ),
]
