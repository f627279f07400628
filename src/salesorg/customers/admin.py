from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from salesorg.customers.models import Contact, Customer


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["code", "name", "title", "role", "influence", "attitude", "status", "phone", "email"]


@admin.register(Customer)
class CustomerAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "industry", "region", "owner", "created_date"]
    list_filter = ["region", "industry"]
    list_select_related = ["region", "owner"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["owner", "region"]
    inlines = [ContactInline]


@admin.register(Contact)
class ContactAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "customer", "title", "role"]
    list_filter = ["role"]
    list_select_related = ["customer"]
    search_fields = ["code", "name", "customer__name"]
    autocomplete_fields = ["customer"]


import salesorg.customers.admin_care  # noqa: E402, F401  (settings, rewards, referrals …)
from salesorg.customers import admin_credit  # noqa: E402, F401  (evaluation, credit, pipeline)
