from rest_framework.routers import DefaultRouter

from . import views

app_name = "safety-api"

router = DefaultRouter()
router.register("hazards", views.HazardViewSet, basename="hazard")
router.register("patrol-tasks", views.PatrolTaskViewSet, basename="patroltask")
router.register("incidents", views.IncidentViewSet, basename="incident")
router.register("escalations", views.WhistleViewSet, basename="whistle")

urlpatterns = router.urls
