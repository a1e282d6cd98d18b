from django.utils.translation import gettext_lazy as _

from . import permissions as p

# Heading of this app's group in the console menu.
CONSOLE_SECTION = _("Service desk")

CONSOLE_NAV = [
    ("servicedesk:queue", _("Requests"), p.VIEW),
    ("servicedesk:workorders", _("My work orders"), p.VENDOR),
    ("servicedesk:map", _("Request map"), p.VIEW),
    ("servicedesk:stats", _("Service key numbers"), p.STATS),
    ("servicedesk:orders", _("Service orders"), p.ORDERS),
    ("servicedesk:needs", _("Needs and resources"), p.ORDERS),
    ("servicedesk:settings", _("Service desk settings"), p.CONFIGURE),
]
RESIDENT_TILES = [
    ("servicedesk:new", _("Report a problem"), _("Repairs, complaints, suggestions")),
    ("servicedesk:mine", _("My requests"), _("Follow and rate them")),
    ("servicedesk:menu", _("Service menu"), _("Order a community service")),
    ("servicedesk:resident_needs", _("Needs and offers"), _("Ask for help or offer yours")),
]
