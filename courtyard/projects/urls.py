from django.urls import path

from .views import consent, library, plans, residents, surveys

app_name = "projects"
urlpatterns = [
    path("console/projects/", library.ProjectList.as_view(), name="library"),
    path("console/projects/<id:pk>/", library.project_detail, name="project"),
    path("console/projects/<id:pk>/plans/new/", plans.plan_new, name="plan_new"),
    path("console/projects/units/<id:pk>/", library.funnel, name="funnel"),
    path("console/projects/units/<id:pk>/new/", library.project_new, name="project_new"),
    path("console/projects/suggestions/", library.SuggestionList.as_view(), name="suggestions"),
    path("console/projects/suggestions/new/", library.suggestion_new, name="suggestion_new"),
    path("console/projects/surveys/", surveys.SurveyList.as_view(), name="surveys"),
    path("console/projects/surveys/new/", surveys.survey_new, name="survey_new"),
    path("console/projects/surveys/<id:pk>/", surveys.survey_detail, name="survey"),
    path("console/projects/surveys/<id:pk>/results.xlsx", surveys.survey_export, name="survey_export"),
    path("console/projects/surveys/<id:pk>/entry/", surveys.survey_entry, name="survey_entry"),
    path("console/projects/campaigns/", consent.CampaignList.as_view(), name="campaigns"),
    path("console/projects/campaigns/new/", consent.campaign_new, name="campaign_new"),
    path("console/projects/campaigns/<id:pk>/", consent.campaign_detail, name="campaign"),
    path("console/projects/plans/<id:pk>/", plans.plan_detail, name="plan"),
    path("projects/", residents.hub, name="resident_hub"),
    path("projects/surveys/<id:pk>/", residents.survey, name="resident_survey"),
    path("projects/campaigns/<id:pk>/", residents.campaign, name="resident_campaign"),
    path("projects/plans/<id:pk>/", residents.plan, name="resident_plan"),
]
