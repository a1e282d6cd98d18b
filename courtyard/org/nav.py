from django.utils.translation import gettext_lazy as _

from . import roles

# Heading of this app's group in the console menu.
CONSOLE_SECTION = _("Place and people")

CONSOLE_NAV = [
    ("org:dashboard", _("Overview"), roles.CONSOLE),
    ("org:places", _("Place tree"), roles.VIEW_PLACE),
    ("org:dwellings", _("Dwellings"), roles.VIEW_DWELLING),
    ("org:people", _("People"), roles.VIEW_PERSON),
    ("org:organisations", _("Organisations"), roles.VIEW_ORGS),
    ("org:grants", _("Roles"), roles.VIEW_GRANTS),
    ("org:roster_import", _("Import roster"), roles.IMPORT_ROSTER),
    ("org:audit", _("Audit trail"), roles.VIEW_AUDIT),
]
