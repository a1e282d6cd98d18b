"""What every participation row shares: it belongs to a self-governance unit (and its community)."""

from __future__ import annotations

from courtyard.org.models.unit_rows import UnitRow as OrgUnitRow

VIEW = "participation.view"


class UnitRow(OrgUnitRow):
    """A row of one self-governance unit (org's UnitRow) read with participation's view permission."""

    view_perm = VIEW

    class Meta:
        abstract = True
