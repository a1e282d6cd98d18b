from django import template
from django.utils.translation import gettext as _

from ..choices import OrderStage, State

register = template.Library()

ACTIONS = {
    "file": "Filed", "accept": "Accepted (签收)", "dispatch": "Dispatched", "reassign": "Reassigned",
    "start": "On site, work started", "update": "Progress", "wait": "Waiting on the resident", "resume": "Resumed",
    "resolve": "Resolved", "confirm": "Confirmed and rated", "reopen": "Reopened", "close": "Closed",
    "merge": "Merged as duplicate", "refer": "Referred elsewhere", "escalate": "Escalated",
    "meeting": "Coordination meeting proposed", "followup_scheduled": "Follow-up call scheduled",
    "followup": "Follow-up call made",
}
BUTTONS = {
    "accept": "Accept (签收)", "start": "On site / start work", "update": "Add progress",
    "wait": "Wait for the resident", "resume": "Resume", "resolve": "Resolve", "reopen": "Reopen", "close": "Close",
    "merge": "Merge as duplicate", "refer": "Refer elsewhere",
}


@register.filter
def event_label(action: str) -> str:
    return _(ACTIONS.get(action, action))


@register.filter
def button_label(action: str) -> str:
    return _(BUTTONS.get(action, action))


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
