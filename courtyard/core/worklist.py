"""The console home's work list: what waits for the logged-in person, collected from every app.

An app adds its entries by shipping `courtyard/<app>/worklist.py` with

    def items(user) -> list[WorkItem]

returning only what the user may act on (check permissions there), each with a count and a link to
the list filtered to exactly those rows. Each app's `items` runs a small, fixed number of queries
whatever the data size; the console home's query budget is asserted in tests.
"""

from __future__ import annotations

from dataclasses import dataclass

from .extensions import app_modules


@dataclass(frozen=True)
class WorkItem:
    key: str  # stable identifier, e.g. "servicedesk.to_accept" (tests, anchors)
    label: str  # what waits, e.g. "Requests to accept"
    count: int
    url: str  # the list filtered to these rows
    hint: str = ""  # one line under the label: what to do
    urgent: bool = False  # shown in red when count > 0 (overdue, late)


def collect(user) -> list[WorkItem]:
    """Every app's items for `user`, in app order; urgent ones with a count first."""
    found = [item for module in app_modules("worklist") for item in module.items(user)]
    return sorted(found, key=lambda i: (not (i.urgent and i.count), i.count == 0))
