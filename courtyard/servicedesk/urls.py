from django.urls import path, re_path

from . import config_views, lists, map_views, open311, views

app_name = "servicedesk"
F = r"(?P<fmt>[a-z]+)"
urlpatterns = [
    # resident
    path("requests/", views.mine, name="mine"),
    path("requests/new/", views.new, name="new"),
    path("requests/<id:pk>/", views.mine_detail, name="mine_detail"),
    path("requests/services/", views.menu, name="menu"),
    path("requests/needs/", config_views.resident_needs, name="resident_needs"),
    # console
    path("console/requests/", lists.RequestQueue.as_view(), name="queue"),
    path("console/requests/new/", views.staff_new, name="staff_new"),
    path("console/requests/bulk/", views.bulk, name="bulk"),
    path("console/requests/bulk/targets/", views.bulk_targets, name="bulk_targets"),
    path("console/requests/map/", map_views.map_page, name="map"),
    path("console/requests/map.json", map_views.map_data, name="map_data"),
    path("console/requests/stats/", views.stats, name="stats"),
    path("console/requests/work/", views.workorders, name="workorders"),
    path("console/requests/orders/", views.orders, name="orders"),
    path("console/requests/needs/", views.needs, name="needs"),
    path("console/requests/settings/", views.settings_page, name="settings"),
    path("console/requests/settings/categories/new/", config_views.category_new, name="category_new"),
    path("console/requests/settings/categories/<id:pk>/", config_views.category_edit, name="category_edit"),
    path("console/requests/settings/sla/new/", config_views.sla_new, name="sla_new"),
    path("console/requests/settings/sla/<id:pk>/", config_views.sla_edit, name="sla_edit"),
    path("console/requests/settings/agreements/new/", config_views.agreement_new, name="agreement_new"),
    path("console/requests/settings/agreements/<id:pk>/", config_views.agreement_edit, name="agreement_edit"),
    path("console/requests/settings/services/new/", config_views.item_new, name="item_new"),
    path("console/requests/settings/services/<id:pk>/", config_views.item_edit, name="item_edit"),
    path("console/requests/qr/<id:pk>.pdf", views.qr_sticker, name="qr"),
    path("console/requests/<id:pk>/", views.console_detail, name="console_detail"),
    path("console/requests/<id:pk>/act/", views.act, name="act"),
    path("console/requests/<id:pk>/dispatch/", views.dispatch_view, name="dispatch"),
    path("console/requests/followups/<id:pk>/", views.followup_log, name="followup"),
    # Open311 GeoReport v2
    re_path(rf"^open311/v2/discovery\.{F}$", open311.discovery, name="o311_discovery"),
    re_path(rf"^open311/v2/services\.{F}$", open311.services_list, name="o311_services"),
    re_path(rf"^open311/v2/services/(?P<code>[-\w]+)\.{F}$", open311.service_definition, name="o311_service"),
    re_path(rf"^open311/v2/requests\.{F}$", open311.requests_view, name="o311_requests"),
    re_path(rf"^open311/v2/requests/(?P<pk>[^/.]+)\.{F}$", open311.request_detail, name="o311_request"),
    re_path(rf"^open311/v2/tokens/(?P<token>[^/.]+)\.{F}$", open311.token_view, name="o311_token"),
]
