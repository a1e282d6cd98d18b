from django import template
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..choices import OrderStage, State

register = template.Library()

# What happened, on the request's timeline (residents and staff read these).
ACTIONS = {
    "file": pgettext_lazy("request timeline", "Filed"), "accept": _("Accepted"), "dispatch": _("Dispatched"),
    "reassign": _("Reassigned"), "start": _("On site, work started"),
    "update": pgettext_lazy("request timeline", "Progress"), "wait": _("Waiting on the resident"),
    "resume": _("Resumed"), "resolve": _("Resolved"), "confirm": _("Confirmed and rated"), "reopen": _("Reopened"),
    "close": _("Closed"), "merge": _("Merged as duplicate"), "refer": _("Referred elsewhere"),
    "escalate": _("Escalated"), "meeting": _("Coordination meeting proposed"),
    "followup_scheduled": _("Follow-up call scheduled"), "followup": _("Follow-up call made"),
}
# The buttons that do it (staff console).
BUTTONS = {
    "accept": _("Accept"), "start": _("On site / start work"), "update": _("Add progress"),
    "wait": _("Wait for the resident"), "resume": pgettext_lazy("request action", "Resume"),
    "resolve": _("Resolve"), "reopen": _("Reopen"), "close": _("Close"),
    "merge": _("Merge as duplicate"), "refer": _("Refer elsewhere"),
}


@register.filter
def event_label(action: str) -> str:
    return str(ACTIONS.get(action, action))


@register.filter
def button_label(action: str) -> str:
    return str(BUTTONS.get(action, action))


SOURCES = {"resident": _("Resident"), "staff": _("Staff"), "patrol": _("Patrol"), "qr": _("QR sticker"),
           "open311": _("Open311 partner")}
PARTIES = {"resident": _("Resident"), "committee": _("Committee"), "community": _("Community"),
           "provider": _("Service provider")}
CANDIDATE_KINDS = {"worker": _("Staff member"), "vendor": _("Vendor"), "department": _("Department")}


@register.filter
def channel_label(value: str) -> str:
    """How something came in ("online", "offline"…) in words."""
    from courtyard.core.models import Channel

    try:
        return str(Channel(value).label)
    except ValueError:
        return value


@register.filter
def source_label(value: str) -> str:
    return str(SOURCES.get(value, value))


@register.filter
def party_label(value: str) -> str:
    """Who signed a service order's acceptance."""
    return str(PARTIES.get(value, value))


@register.filter
def candidate_kind(value: str) -> str:
    return str(CANDIDATE_KINDS.get(value, value))


@register.filter
def state_label(state: str) -> str:
    try:
        return State(state).label
    except ValueError:
        try:
            return OrderStage(state).label
        except ValueError:
            return state


@register.filter
def yuan(fen) -> str:
    fen = int(fen or 0)
    return f"¥{fen // 100}.{fen % 100:02d}"


@register.filter
def place_label(place):
    """Courtyard · building · entrance (select_related PLACE_RELATED to keep it query-free)."""
    from courtyard.servicedesk.location import full_label

    return full_label(place)
