from django.utils.translation import gettext_lazy as _

from . import permissions as p
from .selectors import home_points, public_honours, public_memory

# Heading of this app's group in the console menu.
CONSOLE_SECTION = _("Participation")

CONSOLE_NAV = [
    ("participation:console_events", _("Events"), p.VIEW),
    ("participation:console_wishes", _("Wishes and claims"), p.VIEW),
    ("participation:rotas", _("Rotas"), p.VIEW),
    ("participation:accounts", _("Points accounts"), p.VIEW),
    ("participation:rules", _("Points rules"), p.VIEW),
    ("participation:shop_items", _("Points shop"), p.VIEW),
    ("participation:redemptions", _("Redemptions"), p.VIEW),
    ("participation:hours", _("Volunteer hours"), p.VIEW),
    ("participation:resources", _("Partner resources"), p.VIEW),
    ("participation:teams", _("Teams"), p.VIEW),
    ("participation:talent", _("Active residents and local talents"), p.VIEW),
    ("participation:training", _("Training records"), p.VIEW),
    ("participation:memory", _("Courtyard memory"), p.VIEW),
    ("participation:honours", _("Honours"), p.VIEW),
]
RESIDENT_TILES = [
    ("participation:events", _("Events"), _("Sign up for courtyard events")),
    ("participation:my_points", _("My points"), _("What I earned and how")),
    ("participation:shop", _("Points shop"), _("Redeem points for goods and services")),
    ("participation:my_shifts", _("My duty shifts"), _("Check in, swap with a neighbour")),
    ("participation:wishes", _("Small wishes"), _("Post a wish, or claim a neighbour's")),
    ("participation:my_teams", _("Teams"), _("Join a team or start one with a neighbour")),
]
HOME_SECTIONS = [("participation/partials/home_points.html", home_points)]
PUBLIC_SECTIONS = [("memory", "participation/partials/public_memory.html", public_memory),
                   ("honours", "participation/partials/public_honours.html", public_honours)]
