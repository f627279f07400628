from django.contrib import admin

from salesorg.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Everyone's API tokens: an administrator lists them and revokes one by deleting it."""

    list_display = ["user", "created_at", "last_used_at", "expires_at"]
    list_select_related = ["user"]
    list_filter = ["expires_at"]
    fields = ["user", "created_at", "last_used_at", "expires_at"]
    readonly_fields = fields
    search_fields = ["user__username"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
