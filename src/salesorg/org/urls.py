from django.urls import path

from salesorg.org import views

app_name = "org"
urlpatterns = [
    path("", views.org_tree, name="tree"),
    path("people/", views.person_list, name="people"),
    path("people/<int:pk>/", views.PersonDetail.as_view(), name="person"),
    path("teams/<int:pk>/", views.TeamDetail.as_view(), name="team"),
    path("regions/<int:pk>/", views.RegionDetail.as_view(), name="region"),
]
