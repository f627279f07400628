from django.urls import path

from salesorg.targets import views

app_name = "targets"
urlpatterns = [
    path("actions/", views.action_item_list, name="action_items"),
    path("actions/<int:pk>/", views.ActionItemDetail.as_view(), name="action_item"),
    path("actions/<int:item_id>/status/", views.action_item_status, name="action_item_status"),
]
