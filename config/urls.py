from django.urls import include, path

urlpatterns = [
    path("", include("courtyard.core.urls")),
    path("", include("courtyard.web.urls")),
]
