"""Named hooks: one app provides a narrow function, another calls it by name, neither imports the other
(ADR 0026). The apps are independent siblings (the import-linter layers); when one must act through
another's services — projects filing a work order in the service desk, asking funds for a payment
request — it calls a hook named here, and the providing app ships `courtyard/<app>/hooks.py` that
registers the implementation with `@provides(name)`. Providers are collected lazily, the first time
a hook is asked for (`extensions.app_modules("hooks")`), so nothing loads at import time.

Each hook's contract is the docstring in CATALOGUE. Arguments are keyword-only plain values (ids,
text, dates, amounts in fen, an `Actor`); results are plain values or dicts, never another app's
model instances, so a caller cannot reach into the provider's internals. The provider runs its own
service with its own rules and audit trail: a hook never bypasses a check, it only spares the caller
an import. A missing provider raises `HookMissing` (a ValidationError, so a view shows it on the form
and nothing is written).
"""

from __future__ import annotations

from collections.abc import Callable
from threading import Lock
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .extensions import app_modules

CATALOGUE: dict[str, str] = {
    "servicedesk.file_work_order": (
        "(*, by, place_id, title, description='', facility='', category_code='', kind='repair', source='', "
        "urgency='normal', dispatch_to_partner_id=None, reason='', reporter_user_id=None) -> {'id', 'url'}: file a "
        "request through the "
        "service desk's own filing service (its clocks, audit, notifications) and, when a partner is named, "
        "dispatch it to that partner."),
    "servicedesk.requests_for_facility": (
        "(*, community_id, marker, limit=10) -> [{'id', 'title', 'state', 'state_label', 'created_at', "
        "'overdue', 'url'}]: requests whose facility text carries `marker`, newest first."),
    "servicedesk.request_states": "(*, ids) -> {id: {'state', 'state_label', 'overdue', 'escalation'}}.",
    "funds.payment_accounts": "(*, user, unit_id) -> [(id, name)]: accounts of the unit the user may request "
                              "payments from.",
    "funds.create_payment_request": (
        "(*, by, account_id, unit_id, title, amount_fen, payee_name, partner_id=None) -> {'id', 'url', 'state'}: "
        "a works payment request; it then goes through the account's own sign-off."),
    "funds.request_states": "(*, ids) -> {id: {'state', 'state_label', 'paid'}}.",
    "funds.income_accounts": "(*, user, unit_id) -> [(id, name)]: accounts the user may book income to.",
    "funds.record_revenue_share": (
        "(*, by, account_id, unit_id, amount_fen, counterparty_name, partner_id=None, booked_on=None, memo='') "
        "-> {'id', 'seq'}: one income entry (basis: PPP revenue share) on the ledger."),
    "deliberation.draft_owners_vote": (
        "(*, by, unit_id, title, description, matter) -> {'id', 'url', 'rule'}: a draft owners' vote with the "
        "Civil Code rule the matter needs (art. 278)."),
    "deliberation.start_choice_vote": (
        "(*, by, unit_id, title, description, options, max_choices, opens_at, closes_at) -> vote id: opens a vote of "
        "the unit's adult residents on `options` (up to `max_choices` each) through deliberation's own services."),
    "deliberation.choice_counts": "(*, vote_id) -> {option: votes} once the vote is closed and counted, else None.",
    "deliberation.vote_url": "(*, vote_id) -> the staff page where the vote is followed.",
    "projects.facility_owner": (
        "(*, community_id, facility) -> partner id or None: the partner unit that owns the facility a "
        "request names (its code in the facility text)."),
}

_providers: dict[str, Callable[..., Any]] = {}
_loaded = False
_lock = Lock()


class HookMissing(ValidationError):
    """No installed app provides the hook."""


def provides(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the decorated function as the provider of `name` (one provider per hook)."""
    if name not in CATALOGUE:
        raise KeyError(f"unknown hook {name!r}: add it to courtyard.core.hooks.CATALOGUE")

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        current = _providers.get(name)
        if current is not None and current is not fn and current.__qualname__ != fn.__qualname__:
            raise RuntimeError(f"hook {name!r} has two providers")
        _providers[name] = fn
        return fn

    return register


def _load() -> None:
    global _loaded
    if _loaded:
        return
    with _lock:
        if not _loaded:
            app_modules("hooks")
            _loaded = True


def available(name: str) -> bool:
    _load()
    return name in _providers


def call(name: str, **kwargs: Any) -> Any:
    """Run the provider of `name` with keyword arguments; HookMissing when no app provides it."""
    if name not in CATALOGUE:
        raise KeyError(name)
    _load()
    fn = _providers.get(name)
    if fn is None:
        raise HookMissing(_("This needs a part of the platform that is not installed."), code="hook_missing")
    return fn(**kwargs)


def ask(name: str, default: Any = None, **kwargs: Any) -> Any:
    """Like `call`, but an optional question: `default` when nobody provides the hook."""
    return call(name, **kwargs) if available(name) else default
