from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from salesorg.sales.models import (
    Category,
    ChecklistStep,
    Expense,
    Invoice,
    Order,
    OrderLine,
    Payment,
    Product,
    Visit,
    VisitPurpose,
    VisitStep,
)


@admin.register(Category)
class CategoryAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "focus"]
    list_filter = ["focus"]
    search_fields = ["code", "name"]


@admin.register(Product)
class ProductAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "category", "list_price", "standard_cost"]
    list_filter = ["category"]
    list_select_related = ["category"]
    search_fields = ["code", "name"]


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    fields = ["line_no", "product", "quantity", "amount", "cost"]
    autocomplete_fields = ["product"]


@admin.register(Order)
class OrderAdmin(SimpleHistoryAdmin):
    list_display = ["code", "order_date", "customer", "rep", "status"]
    list_filter = ["status"]
    list_select_related = ["customer", "rep"]
    search_fields = ["code", "customer__name", "rep__name"]
    autocomplete_fields = ["customer", "rep"]
    date_hierarchy = "order_date"
    inlines = [OrderLineInline]


@admin.register(OrderLine)
class OrderLineAdmin(SimpleHistoryAdmin):
    list_display = ["order", "line_no", "product", "quantity", "amount", "cost"]
    list_select_related = ["order", "product"]
    search_fields = ["order__code", "product__code"]
    autocomplete_fields = ["order", "product"]


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0
    fields = ["code", "payment_date", "amount"]


@admin.register(Invoice)
class InvoiceAdmin(SimpleHistoryAdmin):
    list_display = ["code", "invoice_date", "due_date", "customer", "rep", "amount"]
    list_select_related = ["customer", "rep"]
    search_fields = ["code", "customer__name"]
    autocomplete_fields = ["customer", "rep", "order"]
    date_hierarchy = "invoice_date"
    inlines = [PaymentInline]


@admin.register(Payment)
class PaymentAdmin(SimpleHistoryAdmin):
    list_display = ["code", "payment_date", "invoice", "amount"]
    list_select_related = ["invoice"]
    search_fields = ["code", "invoice__code"]
    autocomplete_fields = ["invoice"]


# Checklists are edited on the app's purpose page (sales:purpose_edit), where every change
# is a new version of the purpose; here they are only read.
class ChecklistStepInline(admin.TabularInline):
    model = ChecklistStep
    extra = 0
    fields = ["position", "text", "text_en", "required", "active"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(VisitPurpose)
class VisitPurposeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "name_en", "active", "version"]
    list_filter = ["active"]
    search_fields = ["code", "name", "name_en"]
    readonly_fields = ["version"]
    inlines = [ChecklistStepInline]


@admin.register(ChecklistStep)
class ChecklistStepAdmin(SimpleHistoryAdmin):
    list_display = ["purpose", "position", "text", "text_en", "required", "active"]
    list_filter = ["purpose", "required", "active"]
    list_select_related = ["purpose"]
    search_fields = ["text"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class VisitStepInline(admin.TabularInline):
    model = VisitStep
    extra = 0
    fields = ["step", "purpose_version", "text", "required", "done", "skip_reason"]
    readonly_fields = ["step", "purpose_version", "text", "required"]

    def has_add_permission(self, request, obj=None):
        return False  # answers come from the visit's checklist (the visit page, the API)


@admin.register(Visit)
class VisitAdmin(SimpleHistoryAdmin):
    list_display = ["code", "visit_date", "customer", "rep", "kind", "coach", "purpose_type"]
    list_filter = ["kind", "purpose_type"]
    list_select_related = ["customer", "rep", "coach", "purpose_type"]
    search_fields = ["code", "customer__name", "rep__name"]
    autocomplete_fields = ["customer", "rep", "coach", "contacts"]
    date_hierarchy = "visit_date"
    inlines = [VisitStepInline]


@admin.register(VisitStep)
class VisitStepAdmin(SimpleHistoryAdmin):
    list_display = ["visit", "step", "done", "skip_reason"]
    list_filter = ["done"]
    list_select_related = ["visit", "step"]
    search_fields = ["visit__code", "step__text"]


@admin.register(Expense)
class ExpenseAdmin(SimpleHistoryAdmin):
    list_display = ["code", "expense_date", "rep", "category", "amount"]
    list_filter = ["category"]
    list_select_related = ["rep"]
    search_fields = ["code", "rep__name", "category"]
    autocomplete_fields = ["rep"]
    date_hierarchy = "expense_date"
