from django.contrib import admin

from salesorg.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "last_used_at"]
    readonly_fields = ["user", "key_hash", "created_at", "last_used_at"]
    search_fields = ["user__username"]

    def has_add_permission(self, request):
        return False
