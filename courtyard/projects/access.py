"""The role projects adds to the access kernel's registry: the subdistrict's party working committee
(街道党工委), which runs the rollout programme (挂图作战) and approves courtyards' extension requests.
Its projects permissions are in permissions.GRANTS; org's CONSOLE and place reading let it open the
console."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from courtyard.core.access import registry
from courtyard.core.access.registry import CONSOLE, Role
from courtyard.org.access import VIEW_ORGS, VIEW_PLACE
from courtyard.org.choices import PlaceKind

registry.register_roles(
    Role("subdistrict_party_committee", _("Subdistrict party working committee"), "oversight",
         (PlaceKind.SUBDISTRICT,), frozenset({CONSOLE, VIEW_PLACE, VIEW_ORGS})),
)
