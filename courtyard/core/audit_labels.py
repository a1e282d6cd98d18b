"""Human words for audit events: event names, objects and field changes (ADR 0011).

Audit rows store machine identifiers ("funds.proposal_submitted", field names, raw values)
so that they stay stable and searchable; these functions turn them into words at display
and export time, in the active language:

    action_label("servicedesk.request.accept")       -> "诉求 · 签收"
    object_label(event)                               -> "月度收支报表 #1"  (not "MonthlyStatement object (1)")
    change_lines(event)                               -> [("申请金额", "— → ¥3,000.00"), …]

Nothing here writes; unknown identifiers fall back to something readable, never an error.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.text import camel_case_to_spaces
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

# Whole event names that read better as a phrase than as "object · verb".
EVENTS = {
    "core.user.create": gettext_lazy("Account created"),
    "core.user.login": gettext_lazy("Logged in"),
    "core.user.preferences": gettext_lazy("Display and language settings changed"),
    "deliberation.ballot.cast": gettext_lazy("Ballot cast"),
    "deliberation.ballot.confirm": gettext_lazy("Ballot confirmed"),
    "deliberation.document.comments_open": gettext_lazy("Document opened for comments"),
    "deliberation.meeting.minutes": gettext_lazy("Meeting minutes recorded"),
    "deliberation.meeting.sign_in": gettext_lazy("Meeting sign-in"),
    "deliberation.notice.object": gettext_lazy("Objection to a notice"),
    "deliberation.quota.set": gettext_lazy("Representative quotas set"),
    "deliberation.topic.step": gettext_lazy("Topic moved to the next step"),
    "funds.account_created": gettext_lazy("Fund account opened"),
    "funds.call_awarded": gettext_lazy("Grant call awarded"),
    "funds.call_opened": gettext_lazy("Grant call opened"),
    "funds.call_review": gettext_lazy("Grant call under review"),
    "funds.entry_income": gettext_lazy("Income booked"),
    "funds.entry_payment": gettext_lazy("Payment booked"),
    "funds.entry_reversal": gettext_lazy("Ledger entry reversed"),
    "funds.fee_plan_created": gettext_lazy("Fee standard set"),
    "funds.levy_created": gettext_lazy("Levy created"),
    "funds.proposal_reported": gettext_lazy("Grant project reported"),
    "funds.proposal_scored": gettext_lazy("Grant proposal scored"),
    "funds.proposal_submitted": gettext_lazy("Grant proposal submitted"),
    "funds.request_created": gettext_lazy("Payment request submitted"),
    "funds.request_paid": gettext_lazy("Payment request paid"),
    "funds.statement_generated": gettext_lazy("Monthly statement generated"),
    "funds.statement_published": gettext_lazy("Monthly statement published"),
    "org.dwelling.area": gettext_lazy("Dwelling area changed"),
    "org.roster.import": gettext_lazy("Roster imported"),
    "servicedesk.request.file": gettext_lazy("Request filed"),
}
# "<app>.<object>.<verb>": the object and the verb, each in words.
OBJECTS = {
    "user": gettext_lazy("Account"), "ballot": gettext_lazy("Ballot"), "document": gettext_lazy("Document"),
    "meeting": gettext_lazy("Meeting"), "notice": gettext_lazy("Notice"), "panel": gettext_lazy("Panel"),
    "topic": gettext_lazy("Topic"), "vote": gettext_lazy("Vote"), "comment": gettext_lazy("Comment"),
    "body": gettext_lazy("Committee or body"), "courtyard": gettext_lazy("Courtyard"),
    "dwelling": gettext_lazy("Dwelling"), "link": gettext_lazy("Resident of a dwelling"),
    "partner": gettext_lazy("Partner unit"), "party": gettext_lazy("Party organisation"),
    "person": gettext_lazy("Person"), "place": gettext_lazy("Place"), "role": gettext_lazy("Role"),
    "sensitive": gettext_lazy("Sensitive record"), "unit": gettext_lazy("Self-governance unit"),
    "agreement": gettext_lazy("Agreement"), "apikey": gettext_lazy("API key"),
    "calendar": gettext_lazy("Working-day calendar"), "demand": gettext_lazy("Need"),
    "followup": gettext_lazy("Follow-up call"), "offer": gettext_lazy("Offer"),
    "order": gettext_lazy("Service order"), "request": gettext_lazy("Request"),
    "entry": gettext_lazy("Ledger entry"), "sign": gettext_lazy("Sign-off"),
}
VERBS = {
    "create": gettext_lazy("created"), "update": gettext_lazy("changed"), "add_member": gettext_lazy("member added"),
    "end_member": gettext_lazy("member left"), "set_unit": gettext_lazy("unit set"), "add_item": gettext_lazy("item added"),
    "add_zone": gettext_lazy("area of responsibility added"), "end": gettext_lazy("ended"),
    "grant": gettext_lazy("granted"), "revoke": pgettext_lazy("audit event", "revoked"), "reveal_phone": gettext_lazy("phone number shown"),
    "reveal_id_number": gettext_lazy("ID number shown"), "adopt": gettext_lazy("adopted"),
    "comment": gettext_lazy("comment added"), "consolidate": gettext_lazy("comments consolidated"),
    "version": gettext_lazy("new version"), "publish": pgettext_lazy("audit event", "published"), "confirm": gettext_lazy("confirmed"),
    "merge": gettext_lazy("merged"), "raise": gettext_lazy("raised"), "close": gettext_lazy("closed and counted"),
    "open": gettext_lazy("opened"), "hide": gettext_lazy("hidden"), "remove": gettext_lazy("removed"),
    "set": gettext_lazy("set"), "match": gettext_lazy("matched"), "post": gettext_lazy("posted"),
    "support": gettext_lazy("supported"), "log": gettext_lazy("logged"), "schedule": gettext_lazy("scheduled"),
    "place": gettext_lazy("placed"), "reject": gettext_lazy("rejected"), "signoff": gettext_lazy("signed off"),
    "accept": gettext_lazy("accepted"), "dispatch": gettext_lazy("dispatched"), "reassign": gettext_lazy("reassigned"),
    "start": gettext_lazy("work started on site"), "wait": gettext_lazy("waiting on the resident"),
    "resume": gettext_lazy("resumed"), "resolve": gettext_lazy("resolved"), "reopen": gettext_lazy("reopened"),
    "refer": gettext_lazy("referred elsewhere"), "escalate": gettext_lazy("escalated"),
    "file": pgettext_lazy("audit event", "filed"), "login": gettext_lazy("logged in"),
}
_DEFAULT_REPR = re.compile(r"^\w+ object \((\w+)\)$")


def _from_apps(name: str) -> dict:
    """`EVENTS` / `TERMS` that apps add in an optional `courtyard/<app>/audit_labels.py`."""
    from courtyard.core.extensions import app_modules

    merged: dict = {}
    for module in app_modules("audit_labels"):
        merged.update(getattr(module, name, {}))
    return merged


def action_label(action: str) -> str:
    """The event name in words; the identifier itself if nothing is known about it."""
    if action in EVENTS:
        return str(EVENTS[action])
    app_events = _from_apps("EVENTS")
    if action in app_events:
        return str(app_events[action])
    parts = action.split(".")
    if action.startswith("funds.sign_"):
        return _("Sign-off: %(step)s") % {"step": _step_label(action.removeprefix("funds.sign_"))}
    if len(parts) == 3 and parts[1] in OBJECTS and parts[2] in VERBS:
        return f"{OBJECTS[parts[1]]} · {VERBS[parts[2]]}"
    return action


def _step_label(step: str) -> str:
    from django.apps import apps

    try:
        model = apps.get_model("funds", "ApprovalStep")
        return str(dict(model._meta.get_field("step").flatchoices).get(step, step))
    except (LookupError, FieldDoesNotExist):
        return step


def object_label(event) -> str:
    """What the event is about: its text, or "<kind> #<id>" instead of Django's "X object (1)"."""
    text = event.object_repr or ""
    model = _model(event)
    match = _DEFAULT_REPR.match(text)
    if match or (not text and event.object_id):
        kind = model_label(model) if model is not None else pgettext("audit event", "Record")
        return f"{kind} #{match.group(1) if match else event.object_id}"
    return text


def actor_label(event) -> str:
    return _("System") if event.actor_label in ("", "system") else event.actor_label


def _model(event):
    if not event.content_type_id:
        return None
    from django.contrib.contenttypes.models import ContentType

    try:  # get_for_id is cached: no query per row
        return ContentType.objects.get_for_id(event.content_type_id).model_class()
    except ContentType.DoesNotExist:
        return None


def _auto(label, name: str) -> bool:
    """True when Django made the label up from the code name (no verbose_name was written)."""
    return str(label) == name.replace("_", " ")


def field_label(model, key: str) -> str:
    if model is not None:
        try:
            field = model._meta.get_field(key)
        except FieldDoesNotExist:
            field = None
        label = getattr(field, "verbose_name", None)  # reverse relations have none
        if label and not _auto(label, key):
            return str(label)
    return term(key)


def model_label(model) -> str:
    """A model's name in words (its verbose_name, or ours when the model has none)."""
    name = model._meta.verbose_name
    if str(name) == camel_case_to_spaces(model.__name__):  # Django's default: none was written
        return str(MODELS.get(model._meta.label_lower, name))
    return str(name)


# Models that have no verbose_name of their own.
MODELS = {
    "funds.monthlystatement": gettext_lazy("Monthly statement"), "funds.approvalstep": gettext_lazy("Sign-off"),
    "funds.levycharge": gettext_lazy("Levy charge"), "funds.feeplan": gettext_lazy("Fee standard"),
    "funds.grantcall": gettext_lazy("Grant call"), "funds.grantproposal": gettext_lazy("Grant proposal"),
    "funds.proposalscore": gettext_lazy("Proposal score"),
    "org.residentgroup": gettext_lazy("Resident group"), "org.dwellingarea": gettext_lazy("Dwelling area record"),
}
FIELDS = {  # change keys that are not model fields, or fields without a verbose_name
    "opening_fen": gettext_lazy("opening balance"), "income_fen": gettext_lazy("income"),
    "spending_fen": gettext_lazy("spending"), "closing_fen": gettext_lazy("closing balance"),
    "hash": gettext_lazy("hash"), "prev_hash": gettext_lazy("previous hash"),
    "created_at": gettext_lazy("created at"), "amount_fen": gettext_lazy("amount"),
    "community": gettext_lazy("community"), "path": gettext_lazy("place in the tree"), "role": gettext_lazy("role"),
    "place": gettext_lazy("place"), "unit": gettext_lazy("self-governance unit"), "user": gettext_lazy("account"),
    "comment": gettext_lazy("comment"), "ballot": gettext_lazy("ballot"), "voter": gettext_lazy("voter"),
    "channel": gettext_lazy("channel"), "key": gettext_lazy("key"),
    "start_date": gettext_lazy("from"), "end_date": gettext_lazy("until"), "partner": gettext_lazy("partner unit"),
    "electors": gettext_lazy("electors"), "area": gettext_lazy("area (m²)"), "decision": gettext_lazy("decision"),
    "suggested": gettext_lazy("suggested"), "agenda": gettext_lazy("agenda"), "state": gettext_lazy("state"),
    "status": gettext_lazy("status"), "assignee": gettext_lazy("assignee"), "rows": gettext_lazy("rows"),
}


def value_text(model, key: str, value: Any) -> str:
    """One value in words: — for nothing, yes/no, yuan for fen, a choice's label."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if key.endswith("_fen") and isinstance(value, int):
        sign = "-" if value < 0 else ""
        return f"{sign}¥{abs(value) // 100:,}.{abs(value) % 100:02d}"
    if isinstance(value, list):
        return "、".join(value_text(model, key, v) for v in value) or "—"
    if isinstance(value, dict):  # a summary: {"Dwelling": 612, "grid_worker": 3, …}
        return "; ".join(f"{term(k)}: {value_text(model, k, v)}" for k, v in value.items())
    if key == "channel" and isinstance(value, str):
        from courtyard.core.models import Channel

        if value in Channel.values:
            return str(Channel(value).label)
    if key in VALUE_FIELDS and isinstance(value, str) and not _own_choices(model, key):
        model = _lookup_model(*VALUE_FIELDS[key][:2]) or model
        key = VALUE_FIELDS[key][2]
    if isinstance(value, str):
        app_terms = _from_apps("TERMS")
        if value in app_terms:  # a role code and the like
            return str(app_terms[value])
    if model is not None and isinstance(value, str):
        try:
            choices = dict(getattr(model._meta.get_field(key), "flatchoices", None) or ())
        except FieldDoesNotExist:
            choices = {}
        if value in choices:
            return str(choices[value])
    return str(value)


def term(key: str) -> str:
    """A summary key in words: an app's term (role codes…), a model's class name, or a known field."""
    app_terms = _from_apps("TERMS")
    if key in app_terms:
        return str(app_terms[key])
    from django.apps import apps

    for model in apps.get_models():
        if model.__name__ == key:
            return model_label(model)
    return str(FIELDS.get(key, key))


# Change keys whose values are another model's choices ("decision" on a payment request is a sign-off's).
VALUE_FIELDS = {"decision": ("funds", "ApprovalStep", "decision"), "channel": ("deliberation", "Ballot", "channel")}


def _own_choices(model, key: str) -> bool:
    try:
        return bool(model is not None and getattr(model._meta.get_field(key), "choices", None))
    except FieldDoesNotExist:
        return False


def _lookup_model(app: str, name: str):
    from django.apps import apps

    try:
        return apps.get_model(app, name)
    except LookupError:
        return None


def change_lines(event) -> list[tuple[str, str]]:
    """(field label, "before → after") for each change; summaries (not pairs) as one value."""
    model = _model(event)
    out = []
    for key, change in (event.changes or {}).items():
        label = field_label(model, key)
        if isinstance(change, list) and len(change) == 2:
            out.append((label, f"{value_text(model, key, change[0])} → {value_text(model, key, change[1])}"))
        else:
            out.append((label, value_text(model, key, change)))
    return out
