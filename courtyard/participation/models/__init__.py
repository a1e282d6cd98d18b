from .base import VIEW, UnitRow
from .claims import Wish
from .events import Event, Signup
from .memory import MemoryItem
from .partners import PartnerContribution
from .points import PointsAccount, PointsEntry, PointsRule, Redemption, ShopItem, VolunteerHours
from .rotas import Rota, Shift, SwapRequest
from .teams import Talent, Team, TeamMember, TrainingRecord

__all__ = ["VIEW", "Event", "MemoryItem", "PartnerContribution", "Signup", "PointsAccount", "PointsEntry", "PointsRule", "Redemption", "Rota", "Shift", "ShopItem",
           "SwapRequest", "Talent", "Team", "TeamMember", "TrainingRecord", "UnitRow",
           "VolunteerHours", "Wish"]
