from django.contrib.auth.views import LogoutView
from django.urls import include, path, re_path

from courtyard.core import views as core_views
from courtyard.web import views as web_views

urlpatterns = [
    # The resident shell's own pages first (its paths are exact; nothing below shares them): the
    # home "/" is the most requested page and would otherwise be tried against every app's patterns.
    path("", include("courtyard.web.urls")),
    path("", include("courtyard.core.urls")),
    path("accounts/login/", web_views.login_view, name="login"),
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    path("accounts/reset/", web_views.password_reset, name="password_reset"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("console/", include("courtyard.org.urls")),
    # Each app owns its own paths (resident pages, console pages under console/…, public
    # pages under u/<slug>/…); keep their prefixes distinct.
    path("", include("courtyard.deliberation.urls")),
    path("", include("courtyard.servicedesk.urls")),
    path("", include("courtyard.funds.urls")),
    path("", include("courtyard.insight.urls")),
    path("", include("courtyard.participation.urls")),
    path("", include("courtyard.projects.urls")),
    path("", include("courtyard.safety.urls")),
    path("api/v1/", include("courtyard.org.api.urls")),
    path("api/v1/safety/", include("courtyard.safety.api.urls")),
    path("api/v1/insight/", include("courtyard.insight.api.urls")),
    path("api/v1/participation/", include("courtyard.participation.api.urls")),
    path("api/v1/projects/", include("courtyard.projects.api.urls")),
    path("api/v1/", include("courtyard.deliberation.api.urls")),
    path("api/v1/", include("courtyard.funds.api.urls")),
    re_path(r"^api/", core_views.api_not_found),  # after every API include: unknown API paths answer JSON
]

# Chinese error pages in the visitor's shell (used when DEBUG is off).
handler400 = "courtyard.web.errors.bad_request"
handler403 = "courtyard.web.errors.permission_denied"
handler404 = "courtyard.web.errors.page_not_found"
handler500 = "courtyard.web.errors.server_error"
