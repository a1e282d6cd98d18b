from django.urls import path

from .views import care, hazards, patrols

app_name = "safety"
urlpatterns = [
    # residents and workers on the phone
    path("safety/report/", hazards.report, name="report"),
    path("safety/hazards/mine/", hazards.my_hazards, name="my_hazards"),
    path("safety/notices/", hazards.notices, name="notices"),
    path("safety/hazards/<id:pk>/", hazards.hazard_phone, name="hazard_phone"),
    path("safety/patrol/", patrols.patrol, name="patrol"),
    path("safety/patrol/p/<slug:code>/", patrols.scan, name="scan"),
    path("safety/care/", care.visits_mine, name="visits_mine"),
    path("safety/care/<id:pk>/visit/", care.visit_new, name="visit_new"),
    path("safety/care/visits/", care.my_visits, name="my_visits"),
    # console
    path("console/safety/hazards/", hazards.HazardList.as_view(), name="hazards"),
    path("console/safety/hazards/new/", hazards.hazard_new, name="hazard_new"),
    path("console/safety/hazards/<id:pk>/", hazards.hazard_detail, name="hazard"),
    path("console/safety/hazards/<id:pk>/notice/", hazards.hazard_notice, name="hazard_notice"),
    path("console/safety/hazards/<id:pk>/notice.pdf", hazards.hazard_pdf, name="hazard_pdf"),
    path("console/safety/points/", patrols.PointList.as_view(), name="points"),
    path("console/safety/points/new/", patrols.point_new, name="point_new"),
    path("console/safety/points/qr.pdf", patrols.point_qr, name="points_qr"),
    path("console/safety/points/<id:pk>/", patrols.point_edit, name="point_edit"),
    path("console/safety/points/<id:pk>/qr.pdf", patrols.point_qr, name="point_qr"),
    path("console/safety/routes/", patrols.RouteList.as_view(), name="routes"),
    path("console/safety/routes/new/", patrols.route_new, name="route_new"),
    path("console/safety/plans/", patrols.PlanList.as_view(), name="plans"),
    path("console/safety/plans/new/", patrols.plan_new, name="plan_new"),
    path("console/safety/tasks/", patrols.TaskList.as_view(), name="tasks"),
    path("console/safety/coverage/", patrols.coverage, name="coverage"),
    path("console/safety/care/", care.care_list, name="care"),
    path("console/safety/care/new/", care.care_new, name="care_new"),
    path("console/safety/care/warnings/", care.care_warnings, name="care_warnings"),
    path("console/safety/care/<id:pk>/", care.care_detail, name="care_detail"),
]
