"""An extension point for apps that need a vote without importing the app that runs votes.

The app that owns the vote machinery (deliberation) ships `courtyard/<app>/vote_hooks.py` with

* ``start_choice_vote(*, by, unit, title, description, options, max_choices, opens_at, closes_at) -> int``:
  creates and opens a vote of the unit's adult residents on `options` (up to `max_choices` each) and returns
  its id; it raises PermissionDenied / ValidationError like any service;
* ``choice_counts(vote_id) -> dict[str, int] | None``: the votes each option received once the vote is
  closed and counted (None while it is still open);
* ``vote_url(vote_id) -> str``: where staff follow the vote.

Callers (participation's honours) use `provider()`; there is exactly one provider or none.
"""

from __future__ import annotations

from types import ModuleType

from .extensions import app_modules


class NoVoteMachinery(LookupError):
    pass


def provider() -> ModuleType:
    found = app_modules("vote_hooks")
    if not found:
        raise NoVoteMachinery("no app ships vote_hooks")
    return found[0]
