"""URL configuration of SalesOrg."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from salesorg.api import views as api_views
from salesorg.api.routes import api
from salesorg.core import notification_views, phone_app
from salesorg.core import views as core_views
from salesorg.core.forms import LoginForm

# Every app's admin module is imported here, with the URLconf, not at start-up, which each
# command from the shell paid for (salesorg.core.apps.AdminConfig).
admin.autodiscover()

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("manifest.webmanifest", phone_app.manifest, name="manifest"),
    path("sw.js", phone_app.service_worker, name="service_worker"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/tokens/", api_views.account_tokens, name="account_tokens"),
    path("i18n/setlang/", notification_views.language_set, name="set_language"),
    path("org/", include("salesorg.org.urls")),
    path("customers/", include("salesorg.customers.urls")),
    path("sales/", include("salesorg.sales.urls")),
    path("targets/", include("salesorg.targets.urls")),
    path("performance/", include("salesorg.performance.urls")),
    path("development/", include("salesorg.development.urls")),
    path("interchange/", include("salesorg.interchange.urls")),
    path("audit/", include("salesorg.core.audit_urls")),
    path("photos/", include("salesorg.core.photo_urls")),
    path("jobs/", include("salesorg.core.scheduler_urls")),
    path("notifications/", include("salesorg.core.notification_urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

# An unhandled exception under /api/ answers JSON like every other API answer.
handler500 = "salesorg.api.errors.server_error"
