from django.utils.translation import gettext_lazy as _

from . import permissions as p
from .selectors import public_projects

# Heading of this app's group in the console menu.
CONSOLE_SECTION = _("Renovation projects")

CONSOLE_NAV = [
    ("projects:library", _("Project library"), p.VIEW),
    ("projects:suggestions", _("Suggestions"), p.VIEW),
    ("projects:surveys", _("Needs surveys"), p.VIEW),
    ("projects:campaigns", _("Consent campaigns"), p.VIEW),
    ("projects:facilities", _("Facility register"), p.VIEW),
    ("projects:structures", _("Illegal structures"), p.VIEW),
    ("projects:programmes", _("Rollout programme"), p.VIEW),
]

RESIDENT_TILES = [
    ("projects:resident_hub", _("Courtyard renovation"), _("Surveys, consent and plans for our courtyard")),
]

PUBLIC_SECTIONS = [("projects", "projects/partials/public_projects.html", public_projects)]
