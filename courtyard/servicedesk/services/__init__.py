"""Every write of the service desk. Keyword-only arguments, one transaction, an audit event,
a RequestEvent on the request's timeline (留痕) and the people concerned notified on commit.

A package split by subject; this module re-exports the public names so callers keep writing
``from courtyard.servicedesk import services; services.file_request(...)``. To monkeypatch a
name in a test, patch it in the submodule that uses it."""

from ._common import (
    MAX_PHOTOS,
    yuan_to_fen,
)
from .access import (
    can_handle,
    is_reporter,
    is_worker,
    may,
    place_chain,
    users_with_role,
    vendor_ids_of,
    vendor_users,
)
from .clocks import (
    DEFAULT_TERMS,
    LADDER,
    active_agreement,
    calendar_overrides,
    policy_for,
    refresh_clocks,
    sweep_overdue,
    terms_for,
)
from .configuration import (
    AGREEMENT_FIELDS,
    CATEGORY_FIELDS,
    SLA_FIELDS,
    create_api_key,
    hash_key,
    key_community,
    remove_calendar_day,
    save_agreement,
    save_category,
    save_sla_policy,
    set_calendar_day,
)
from .dispatching import (
    REASONS,
    bulk,
    bulk_candidates,
    candidates,
    dispatch,
    ranked_candidates,
    reason_label,
)
from .filing import (
    file_request,
    propose_meeting,
)
from .needs import (
    URGENCY_WEIGHT,
    demand_rank_key,
    match,
    offer_resource,
    post_demand,
    ranked_demands,
    suggest_offers,
    support_demand,
)
from .orders import (
    ITEM_FIELDS,
    JOINT_PARTIES,
    ORDER_FLOW,
    place_order,
    save_service_item,
    sign_off,
)
from .ratings import (
    FOLLOWUP_WITHIN,
    LOW_STARS,
    log_followup,
    rate,
    schedule_followup,
)
from .transitions import (
    STATE_MESSAGES,
    transition,
)

__all__ = [
    "AGREEMENT_FIELDS",
    "CATEGORY_FIELDS",
    "DEFAULT_TERMS",
    "FOLLOWUP_WITHIN",
    "ITEM_FIELDS",
    "JOINT_PARTIES",
    "LADDER",
    "LOW_STARS",
    "MAX_PHOTOS",
    "ORDER_FLOW",
    "REASONS",
    "SLA_FIELDS",
    "STATE_MESSAGES",
    "URGENCY_WEIGHT",
    "active_agreement",
    "bulk",
    "bulk_candidates",
    "calendar_overrides",
    "can_handle",
    "candidates",
    "create_api_key",
    "demand_rank_key",
    "dispatch",
    "file_request",
    "hash_key",
    "is_reporter",
    "is_worker",
    "key_community",
    "log_followup",
    "match",
    "may",
    "offer_resource",
    "place_chain",
    "place_order",
    "policy_for",
    "post_demand",
    "propose_meeting",
    "ranked_candidates",
    "ranked_demands",
    "rate",
    "reason_label",
    "refresh_clocks",
    "remove_calendar_day",
    "save_agreement",
    "save_category",
    "save_service_item",
    "save_sla_policy",
    "schedule_followup",
    "set_calendar_day",
    "sign_off",
    "suggest_offers",
    "support_demand",
    "sweep_overdue",
    "terms_for",
    "transition",
    "users_with_role",
    "vendor_ids_of",
    "vendor_users",
    "yuan_to_fen",
]
