from rest_framework.routers import DefaultRouter

from . import views

app_name = "funds-api"

router = DefaultRouter()
router.register("fee-plans", views.FeePlanViewSet, basename="feeplan")
router.register("fee-bills", views.FeeBillViewSet, basename="feebill")

urlpatterns = router.urls
