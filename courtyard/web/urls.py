from django.urls import path

from . import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("household/", views.household, name="household"),
    path("me/", views.me, name="me"),
    path("inbox/", views.inbox, name="inbox"),
    path("settings/", views.settings_view, name="settings"),
    path("settings/password/", views.password_change, name="password_change"),
    path("elderly/", views.quick_elderly, name="elderly"),
    path("u/", views.public_units, name="public_units"),
    path("u/<slug:slug>/", views.public_unit, name="public_unit"),
]
