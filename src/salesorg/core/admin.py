from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from salesorg.core.models import CalendarDay, JobRun

admin.site.site_header = _("SalesOrg administration")
admin.site.site_title = _("SalesOrg")


@admin.register(CalendarDay)
class CalendarDayAdmin(SimpleHistoryAdmin):
    list_display = ["date", "is_workday", "note"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"
    search_fields = ["note"]


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    """Runs are written by the scheduler only: the admin reads them."""

    list_display = ["job", "slot", "started_at", "finished_at", "outcome", "host"]
    list_filter = ["job", "outcome"]
    date_hierarchy = "started_at"
    readonly_fields = [
        "job", "slot", "started_at", "finished_at", "outcome", "result", "error", "host"
    ]  # fmt: skip

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
