from rest_framework.routers import DefaultRouter

from . import views

app_name = "projects-api"

router = DefaultRouter()
router.register("projects", views.ProjectViewSet, basename="project")
router.register("surveys", views.SurveyViewSet, basename="survey")
router.register("consent-campaigns", views.CampaignViewSet, basename="campaign")
router.register("inspections", views.InspectionViewSet, basename="inspection")
router.register("acceptances", views.AcceptanceViewSet, basename="acceptance")
router.register("facilities", views.FacilityViewSet, basename="facility")

urlpatterns = router.urls
