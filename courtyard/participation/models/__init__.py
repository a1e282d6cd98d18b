from .base import VIEW, UnitRow
from .claims import Wish
from .events import Event, Signup
from .honours import HonourNomination, HonourRound, HonourSignoff
from .memory import MemoryItem
from .partners import PartnerContribution
from .points import BillOffset, PointsAccount, PointsEntry, PointsRule, Redemption, ShopItem, VolunteerHours
from .rotas import Rota, Shift, SwapRequest
from .teams import Talent, Team, TeamMember, TrainingRecord

__all__ = ["VIEW", "BillOffset", "HonourNomination", "HonourRound", "HonourSignoff", "Event", "MemoryItem", "PartnerContribution", "Signup", "PointsAccount", "PointsEntry", "PointsRule", "Redemption", "Rota", "Shift", "ShopItem",
           "SwapRequest", "Talent", "Team", "TeamMember", "TrainingRecord", "UnitRow",
           "VolunteerHours", "Wish"]
