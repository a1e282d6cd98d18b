from django.urls import path

from . import exports

app_name = "console"

urlpatterns = [
    path("exports/<uuid:pk>/", exports.export_status, name="export"),
    path("exports/<uuid:pk>/download/", exports.export_download, name="export_download"),
]
