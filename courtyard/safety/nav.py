from django.utils.translation import gettext_lazy as _

from . import permissions as p

# Heading of this app's group in the console menu.
CONSOLE_SECTION = _("Safety and care")

CONSOLE_NAV = [
    ("safety:hazards", _("Hazard register"), p.VIEW),
    ("safety:assessment", _("Quarterly risk assessment"), p.VIEW),
    ("safety:kinds", _("Kinds of hazard"), p.CONFIGURE),
    ("safety:tasks", _("Patrol tasks"), p.VIEW),
    ("safety:checkins", _("Patrol check-ins"), p.VIEW),
    ("safety:points", _("Check points"), p.VIEW),
    ("safety:routes", _("Patrol routes"), p.VIEW),
    ("safety:plans", _("Patrol plans"), p.VIEW),
    ("safety:coverage", _("Patrol coverage"), p.STATS),
    ("safety:patrol", _("My patrol rounds (phone)"), p.PATROL),
    ("safety:care", _("Care register"), p.CARE),
    ("safety:visits_mine", _("My care visits (phone)"), p.CARE),
    ("safety:care_warnings", _("Care warnings"), p.CARE),
    ("safety:cases", _("Mediation cases"), p.MEDIATE),
    ("safety:mediation_stats", _("Mediation key numbers"), p.STATS),
    ("safety:eplans", _("Emergency plans"), p.VIEW),
    ("safety:incidents", _("Incidents"), p.VIEW),
    ("safety:whistles", _("Escalations to departments"), p.VIEW),
    ("safety:accountability", _("Accountability per department"), p.STATS),
]
RESIDENT_TILES = [
    ("safety:report", _("Report a hazard"), _("Something dangerous? Send a photo")),
    ("safety:notices", _("Risk notices"), _("Warnings for your building")),
    ("safety:ask_mediator", _("Ask for a mediator"), _("A dispute with a neighbour?")),
]


def _own_visits(user, home):
    from .selectors import own_visits

    if not getattr(user, "is_authenticated", False):
        return None
    return {} if own_visits(user).exists() else None


HOME_SECTIONS = [("safety/home_visits.html", _own_visits)]


def _public_mediation(unit):
    from .views.mediation import public_outcomes

    return public_outcomes(unit)


PUBLIC_SECTIONS = [("mediation", "safety/public_mediation.html", _public_mediation)]
