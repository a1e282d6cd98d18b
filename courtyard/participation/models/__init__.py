from .base import VIEW, UnitRow
from .events import Event, Signup
from .points import PointsAccount, PointsEntry, PointsRule, Redemption, ShopItem, VolunteerHours
from .rotas import Rota, Shift, SwapRequest

__all__ = ["VIEW", "Event", "Signup", "PointsAccount", "PointsEntry", "PointsRule", "Redemption", "Rota", "Shift", "ShopItem",
           "SwapRequest", "UnitRow", "VolunteerHours"]
