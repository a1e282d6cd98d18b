from django.utils.translation import gettext_lazy as _

from . import permissions as p
from .selectors import home_notices, public_elections, public_notices

# Heading of this app's group in the console menu.
CONSOLE_SECTION = _("Deliberation")

CONSOLE_NAV = [
    ("deliberation:console_topics", _("Topics"), p.VIEW_TOPIC),
    ("deliberation:console_votes", _("Votes"), p.VIEW_VOTE),
    ("deliberation:console_notices", _("Notices"), p.VIEW_NOTICE),
    ("deliberation:console_meetings", _("Meetings"), p.VIEW_MEETING),
    ("deliberation:console_documents", _("Documents"), p.VIEW_TOPIC),
    ("deliberation:console_elections", _("Elections"), p.VIEW_VOTE),
    ("deliberation:representatives", _("Representatives"), p.MANAGE_TOPIC),
]
RESIDENT_TILES = [
    ("deliberation:topics", _("Topics"), _("Raise a matter, join the discussion")),
    ("deliberation:votes", _("Votes"), _("Vote on decisions of the courtyard")),
    ("deliberation:documents", _("Conventions"), _("Read and comment on the courtyard's rules")),
    ("deliberation:elections", _("Elections"), _("Stand for the committee, see the candidates, vote")),
]
PUBLIC_SECTIONS = [("notices", "deliberation/partials/public_notices.html", public_notices),
                   ("elections", "deliberation/partials/public_elections.html", public_elections)]
HOME_SECTIONS = [("deliberation/partials/home_notices.html", home_notices)]
