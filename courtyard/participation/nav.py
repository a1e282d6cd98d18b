from django.utils.translation import gettext_lazy as _

from . import permissions as p
from .selectors import home_points

# Heading of this app's group in the console menu.
CONSOLE_SECTION = _("Participation")

CONSOLE_NAV = [
    ("participation:rotas", _("Rotas"), p.VIEW),
    ("participation:accounts", _("Points accounts"), p.VIEW),
    ("participation:rules", _("Points rules"), p.VIEW),
    ("participation:shop_items", _("Points shop"), p.VIEW),
    ("participation:redemptions", _("Redemptions"), p.VIEW),
    ("participation:hours", _("Volunteer hours"), p.VIEW),
]
RESIDENT_TILES = [
    ("participation:my_points", _("My points"), _("What I earned and how")),
    ("participation:shop", _("Points shop"), _("Redeem points for goods and services")),
    ("participation:my_shifts", _("My duty shifts"), _("Check in, swap with a neighbour")),
]
HOME_SECTIONS = [("participation/partials/home_points.html", home_points)]
