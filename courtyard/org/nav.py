from django.utils.translation import gettext_lazy as _

from . import access
from .duties import public_duties

# Heading of this app's group in the console menu.
CONSOLE_SECTION = _("Place and people")

CONSOLE_NAV = [
    ("org:dashboard", _("Overview"), access.CONSOLE),
    ("org:places", _("Place tree"), access.VIEW_PLACE),
    ("org:dwellings", _("Dwellings"), access.VIEW_DWELLING),
    ("org:people", _("People"), access.VIEW_PERSON),
    ("org:organisations", _("Organisations"), access.VIEW_ORGS),
    ("org:duties", _("Rights and duties"), access.VIEW_ORGS),
    ("org:grants", _("Roles"), access.VIEW_GRANTS),
    ("org:roster_import", _("Import roster"), access.IMPORT_ROSTER),
    ("org:audit", _("Audit trail"), access.VIEW_AUDIT),
]

PUBLIC_SECTIONS = [("duties", "org/partials/public_duties.html", public_duties)]
