from django.urls import path

from salesorg.sales import views

app_name = "sales"
urlpatterns = [
    path("orders/", views.order_list, name="orders"),
    path("orders/<int:pk>/", views.OrderDetail.as_view(), name="order"),
    path("orders/<int:pk>/edit/", views.OrderEdit.as_view(), name="order_edit"),
    path("invoices/", views.invoice_list, name="invoices"),
    path("invoices/<int:pk>/", views.InvoiceDetail.as_view(), name="invoice"),
    path("invoices/<int:pk>/edit/", views.InvoiceEdit.as_view(), name="invoice_edit"),
    path("invoices/<int:pk>/payments/", views.PaymentRecord.as_view(), name="invoice_payment"),
    path("visits/", views.visit_list, name="visits"),
    path("visits/log/", views.visit_log, name="visit_log"),
    path("visits/customers/", views.visit_customer_search, name="visit_customers"),
    path("visits/customer/", views.visit_customer_pick, name="visit_customer"),
    path("visits/checklist/", views.visit_checklist, name="visit_checklist"),
    path("visits/<int:pk>/", views.VisitDetail.as_view(), name="visit"),
    path("visits/<int:pk>/edit/", views.VisitEdit.as_view(), name="visit_edit"),
    path("expenses/", views.expense_list, name="expenses"),
    path("expenses/add/", views.expense_add, name="expense_add"),
    path("expenses/<int:pk>/", views.ExpenseDetail.as_view(), name="expense"),
    path("expenses/<int:pk>/edit/", views.ExpenseEdit.as_view(), name="expense_edit"),
]
