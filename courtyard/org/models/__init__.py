"""Place tree, registry of dwellings and people, organisations and scoped roles (ORG-1..6).

A package split by subject; every model is imported here, so ``from courtyard.org.models import X``
keeps working and Django registers them all."""

from .bodies import (
    BodyMembership,
    GovernanceBody,
    PartyMember,
    PartyOrg,
    ResponsibilityZone,
)
from .imports import (
    RosterImport,
)
from .partners import (
    CoBuildingItem,
    PartnerUnit,
)
from .places import (
    Courtyard,
    Place,
    ResidentGroup,
    SelfGovernanceUnit,
)
from .registry import (
    Dwelling,
    DwellingArea,
    DwellingLink,
    Person,
    SensitiveRecord,
    Tag,
)
from .roles import (
    RoleGrant,
)
from .unit_rows import UnitRow

__all__ = [
    "BodyMembership",
    "CoBuildingItem",
    "Courtyard",
    "Dwelling",
    "DwellingArea",
    "DwellingLink",
    "GovernanceBody",
    "PartnerUnit",
    "PartyMember",
    "PartyOrg",
    "Person",
    "Place",
    "ResidentGroup",
    "ResponsibilityZone",
    "RoleGrant",
    "RosterImport",
    "SelfGovernanceUnit",
    "SensitiveRecord",
    "SitePlan",
    "Tag",
    "UnitRow",
]


# Site plans live in their own module (it imports Courtyard from here); imported last so Django sees them.
from ..siteplan_models import SitePlan  # noqa: E402
from .duties import DutyItem, DutyKind, DutyList, DutyListStatus, DutyParty  # noqa: E402,F401
