from rest_framework.routers import SimpleRouter

from . import views

app_name = "participation-api"

router = SimpleRouter()
router.register("events", views.EventViewSet, basename="event")
router.register("points-accounts", views.AccountViewSet, basename="points-account")
router.register("shop-items", views.ItemViewSet, basename="shop-item")

urlpatterns = router.urls
