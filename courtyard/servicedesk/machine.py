"""The request state machine as a pure table: action -> (states it may start from, state it leads to).

`None` as the target means "back to the state before waiting" (resume). Who may take an
action is decided in rules.py; what else an action does (clocks, assignment) in the services package.
"""

from __future__ import annotations

from .choices import OPEN_STATES
from .choices import State as S

_OPEN = frozenset(OPEN_STATES)

TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "accept": (frozenset({S.SUBMITTED, S.REOPENED}), S.ACCEPTED),
    "dispatch": (frozenset({S.SUBMITTED, S.ACCEPTED, S.REOPENED}), S.DISPATCHED),
    "reassign": (frozenset({S.DISPATCHED, S.IN_PROGRESS}), S.DISPATCHED),
    "start": (frozenset({S.DISPATCHED}), S.IN_PROGRESS),
    "update": (frozenset({S.DISPATCHED, S.IN_PROGRESS}), S.IN_PROGRESS),
    "wait": (frozenset({S.ACCEPTED, S.DISPATCHED, S.IN_PROGRESS}), S.WAITING),
    "resume": (frozenset({S.WAITING}), None),
    "resolve": (frozenset({S.DISPATCHED, S.IN_PROGRESS}), S.RESOLVED),
    "confirm": (frozenset({S.RESOLVED}), S.CONFIRMED),
    "reopen": (frozenset({S.RESOLVED, S.CONFIRMED, S.CLOSED}), S.REOPENED),
    "close": (frozenset({S.RESOLVED, S.CONFIRMED}), S.CLOSED),
    "merge": (_OPEN, S.MERGED),
    "refer": (frozenset({S.SUBMITTED, S.ACCEPTED, S.REOPENED}), S.REFERRED),
}

# Actions of the people doing the work (the assignee or the assigned vendor's staff).
WORKER_ACTIONS = frozenset({"start", "update", "wait", "resume", "resolve"})
# Actions of dispatchers (servicedesk.handle_request in scope).
HANDLER_ACTIONS = frozenset(TRANSITIONS) - {"confirm"}
# Actions of the reporter.
REPORTER_ACTIONS = frozenset({"confirm", "reopen"})


class TransitionError(Exception):
    pass


def allowed(action: str, state: str) -> bool:
    if action not in TRANSITIONS:
        return False
    return state in TRANSITIONS[action][0]


def target(action: str, state: str, *, before_wait: str | None = None) -> str:
    if not allowed(action, state):
        raise TransitionError(f"{action} is not allowed from {state}")
    to = TRANSITIONS[action][1]
    if to is None:
        return before_wait or S.IN_PROGRESS
    return to


def actions_from(state: str) -> list[str]:
    return [a for a, (sources, _) in TRANSITIONS.items() if state in sources]
