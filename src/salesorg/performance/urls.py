from django.urls import path

from salesorg.performance import views

app_name = "performance"
urlpatterns = [
    path("kpi/", views.kpi, name="kpi"),
]
