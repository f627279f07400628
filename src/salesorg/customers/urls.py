from django.urls import include, path

from salesorg.customers import views

app_name = "customers"
urlpatterns = [
    path("", views.customer_list, name="customers"),
    path("<int:pk>/", views.CustomerDetail.as_view(), name="customer"),
    path("<int:pk>/contacts/add/", views.ContactAdd.as_view(), name="contact_add"),
    path("<int:pk>/rewards/add/", views.RewardAdd.as_view(), name="reward_add"),
    path("<int:pk>/referrals/add/", views.ReferralAdd.as_view(), name="referral_add"),
    path("<int:pk>/surveys/add/", views.SurveyAdd.as_view(), name="survey_add"),
    path("contacts/<int:pk>/", views.ContactDetail.as_view(), name="contact"),
    path("contacts/<int:pk>/edit/", views.ContactEdit.as_view(), name="contact_edit"),
    path("contacts/<int:pk>/left/", views.ContactLeave.as_view(), name="contact_leave"),
    path("referrals/", views.referral_list, name="referrals"),
    path("settings/", views.care_settings, name="settings"),
    path("", include("salesorg.customers.urls_credit")),
]
