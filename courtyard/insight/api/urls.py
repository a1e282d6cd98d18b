from rest_framework.routers import DefaultRouter

from . import views

app_name = "insight-api"

router = DefaultRouter()
router.register("snapshots", views.SnapshotViewSet, basename="snapshot")
router.register("warning-cases", views.WarningCaseViewSet, basename="warningcase")

urlpatterns = router.urls
