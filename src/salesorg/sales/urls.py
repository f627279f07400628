from django.urls import path

from salesorg.sales.views import (
    compliance,
    expenses,
    follow_ups,
    invoices,
    orders,
    photos,
    purposes,
    visits,
)

app_name = "sales"
urlpatterns = [
    path("orders/", orders.order_list, name="orders"),
    path("orders/<int:pk>/", orders.OrderDetail.as_view(), name="order"),
    path("orders/<int:pk>/edit/", orders.OrderEdit.as_view(), name="order_edit"),
    path("invoices/", invoices.invoice_list, name="invoices"),
    path("invoices/<int:pk>/", invoices.InvoiceDetail.as_view(), name="invoice"),
    path("invoices/<int:pk>/edit/", invoices.InvoiceEdit.as_view(), name="invoice_edit"),
    path("invoices/<int:pk>/payments/", invoices.PaymentRecord.as_view(), name="invoice_payment"),
    path("visits/", visits.visit_list, name="visits"),
    path("visits/log/", visits.visit_log, name="visit_log"),
    path("visits/customers/", visits.visit_customer_search, name="visit_customers"),
    path("visits/customer/", visits.visit_customer_pick, name="visit_customer"),
    path("visits/checklist/", visits.visit_checklist, name="visit_checklist"),
    path("visits/<int:pk>/", visits.VisitDetail.as_view(), name="visit"),
    path("visits/<int:pk>/edit/", visits.VisitEdit.as_view(), name="visit_edit"),
    path("visits/<int:pk>/photos/add/", photos.VisitPhotoAdd.as_view(), name="visit_photo_add"),
    path(
        "visits/<int:pk>/follow-ups/add/",
        follow_ups.VisitFollowUpAdd.as_view(),
        name="visit_follow_up_add",
    ),
    path("visits/compliance/", compliance.compliance, name="compliance"),
    path("visits/compliance/skipped/", compliance.compliance_visits, name="compliance_visits"),
    path("purposes/", purposes.purpose_list, name="purposes"),
    path("purposes/add/", purposes.purpose_add, name="purpose_add"),
    path("purposes/<int:pk>/edit/", purposes.PurposeEdit.as_view(), name="purpose_edit"),
    path("expenses/", expenses.expense_list, name="expenses"),
    path("expenses/add/", expenses.expense_add, name="expense_add"),
    path("expenses/<int:pk>/", expenses.ExpenseDetail.as_view(), name="expense"),
    path("expenses/<int:pk>/edit/", expenses.ExpenseEdit.as_view(), name="expense_edit"),
]
