from rest_framework.routers import DefaultRouter

from . import views

app_name = "deliberation-api"

router = DefaultRouter()
router.register("elections", views.ElectionViewSet, basename="election")

urlpatterns = router.urls
