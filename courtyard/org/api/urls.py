from rest_framework.routers import DefaultRouter

from . import views

app_name = "org-api"

router = DefaultRouter()
router.register("places", views.PlaceViewSet, basename="place")
router.register("dwellings", views.DwellingViewSet, basename="dwelling")
router.register("people", views.PersonViewSet, basename="person")
router.register("role-grants", views.RoleGrantViewSet, basename="rolegrant")

urlpatterns = router.urls
