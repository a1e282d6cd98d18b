from django.urls import path

from . import roster_views, views

app_name = "org"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("places/", views.places, name="places"),
    path("places/<int:pk>/", views.place_detail, name="place"),
    path("dwellings/", views.dwellings, name="dwellings"),
    path("dwellings/<int:pk>/", views.dwelling_detail, name="dwelling"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/reveal/", views.person_reveal, name="person_reveal"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/sensitive/", views.sensitive_add, name="sensitive_add"),
    path("dwellings/<int:pk>/area/", views.dwelling_area, name="dwelling_area"),
    path("organisations/", views.organisations, name="organisations"),
    path("roles/", views.grants, name="grants"),
    path("roles/new/", views.grant_create, name="grant_create"),
    path("roles/<int:pk>/end/", views.grant_revoke, name="grant_revoke"),
    path("audit/", views.audit, name="audit"),
    path("roster/", roster_views.roster_import, name="roster_import"),
    path("roster/template.xlsx", roster_views.roster_template, name="roster_template"),
    path("roster/<int:pk>/", roster_views.roster_preview, name="roster_preview"),
    path("roster/<int:pk>/commit/", roster_views.roster_commit, name="roster_commit"),
]
