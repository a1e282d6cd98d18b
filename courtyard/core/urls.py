from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

urlpatterns = [
    path("console/", include("courtyard.core.console.urls")),
    path("healthz", views.healthz, name="healthz"),
    # Uploaded files: always through the authorising view; MEDIA_URL is never routed.
    path("files/<id:pk>/", views.serve_file, name="core_file"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
