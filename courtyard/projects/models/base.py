"""Rows that belong to one self-governance unit (and so to its community)."""

from __future__ import annotations

from courtyard.org.models.unit_rows import UnitRow as OrgUnitRow

VIEW = "projects.view_project"


class UnitRow(OrgUnitRow):
    """A row of one unit (org's UnitRow) read with projects' view permission; a grid worker's place grant
    reaches the units with dwellings in the grid (see the kernel)."""

    view_perm = VIEW
    scope_reach_units = True

    class Meta:
        abstract = True
