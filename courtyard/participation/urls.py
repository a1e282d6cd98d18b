from django.urls import path

from .views import console, resident, rotas

app_name = "participation"
urlpatterns = [
    path("console/participation/points/", console.AccountList.as_view(), name="accounts"),
    path("console/participation/points/<id:pk>/", console.account_detail, name="account"),
    path("console/participation/entries/<id:pk>/correct/", console.entry_reverse, name="entry_reverse"),
    path("console/participation/rules/", console.RuleList.as_view(), name="rules"),
    path("console/participation/rules/new/", console.rule_new, name="rule_new"),
    path("console/participation/shop/", console.ItemList.as_view(), name="shop_items"),
    path("console/participation/shop/new/", console.item_new, name="item_new"),
    path("console/participation/shop/<id:pk>/", console.item_edit, name="item_edit"),
    path("console/participation/redemptions/", console.RedemptionList.as_view(), name="redemptions"),
    path("console/participation/redemptions/<id:pk>/hand-over/", console.hand_over, name="hand_over"),
    path("console/participation/redemptions/<id:pk>/cancel/", console.cancel_redemption, name="cancel_redemption"),
    path("console/participation/hours/", console.HoursList.as_view(), name="hours"),
    path("console/participation/hours/new/", console.hours_new, name="hours_new"),
    path("console/participation/rotas/", rotas.RotaList.as_view(), name="rotas"),
    path("console/participation/rotas/new/", rotas.rota_new, name="rota_new"),
    path("console/participation/rotas/<id:pk>/", rotas.rota_detail, name="rota"),
    path("console/participation/rotas/<id:pk>/qr/", rotas.rota_qr, name="rota_qr"),
    path("console/participation/shifts/<id:pk>/remove/", rotas.shift_remove, name="shift_remove"),
    path("participation/points/", resident.my_points, name="my_points"),
    path("participation/shop/", resident.shop, name="shop"),
    path("participation/shop/<id:pk>/redeem/", resident.redeem, name="redeem"),
    path("participation/redemptions/<id:pk>/cancel/", resident.cancel, name="cancel"),
    path("participation/shifts/", resident.my_shifts, name="my_shifts"),
    path("participation/shifts/<id:pk>/swap/", resident.swap, name="swap"),
    path("participation/swaps/<id:pk>/answer/", resident.answer, name="answer"),
    path("participation/check-in/<str:token>/", resident.checkin, name="checkin"),
]
