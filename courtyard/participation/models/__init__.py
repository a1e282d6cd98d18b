from .base import VIEW, UnitRow
from .points import PointsAccount, PointsEntry, PointsRule, Redemption, ShopItem, VolunteerHours
from .rotas import Rota, Shift, SwapRequest

__all__ = ["VIEW", "PointsAccount", "PointsEntry", "PointsRule", "Redemption", "Rota", "Shift", "ShopItem",
           "SwapRequest", "UnitRow", "VolunteerHours"]
