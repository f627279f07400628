from django.urls import path

from salesorg.customers import views

app_name = "customers"
urlpatterns = [
    path("", views.customer_list, name="customers"),
    path("<int:pk>/", views.CustomerDetail.as_view(), name="customer"),
]
