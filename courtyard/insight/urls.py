from django.urls import path

from . import lists, views, views_reports

app_name = "insight"

urlpatterns = [
    path("console/insight/", views.dashboard, name="dashboard"),
    path("console/insight/indicators/", views.indicator_list, name="indicators"),
    path("console/insight/indicators/<slug:code>/", views.indicator_detail, name="indicator"),
    path("console/insight/cases/", lists.CaseList.as_view(), name="cases"),
    path("console/insight/cases/<id:pk>/", views.case_detail, name="case"),
    path("console/insight/review/", views.review, name="review"),
    path("console/insight/reports/", views_reports.reports, name="reports"),
]
