from django.utils.translation import gettext_lazy as _

from . import permissions as p

# Heading of this app's group in the console menu.
CONSOLE_SECTION = _("Safety and care")

CONSOLE_NAV = [
    ("safety:hazards", _("Hazard register"), p.VIEW),
    ("safety:tasks", _("Patrol tasks"), p.VIEW),
    ("safety:points", _("Check points"), p.VIEW),
    ("safety:routes", _("Patrol routes"), p.VIEW),
    ("safety:plans", _("Patrol plans"), p.VIEW),
    ("safety:coverage", _("Patrol coverage"), p.STATS),
    ("safety:patrol", _("My patrol rounds (phone)"), p.PATROL),
    ("safety:care", _("Care register"), p.CARE),
    ("safety:visits_mine", _("My care visits (phone)"), p.CARE),
    ("safety:care_warnings", _("Care warnings"), p.CARE),
]
RESIDENT_TILES = [
    ("safety:report", _("Report a hazard"), _("Something dangerous? Send a photo")),
    ("safety:notices", _("Risk notices"), _("Warnings for your building")),
]


def _own_visits(user, home):
    from .selectors import own_visits

    if not getattr(user, "is_authenticated", False):
        return None
    return {} if own_visits(user).exists() else None


HOME_SECTIONS = [("safety/home_visits.html", _own_visits)]
