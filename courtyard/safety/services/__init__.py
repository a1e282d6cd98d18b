"""Every write of the safety app (keyword-only, one transaction, audited), split by subject."""

from .care import (
    audit_list,
    audit_view,
    enrol,
    link_family,
    log_visit,
    resolve_warning,
    sweep_lapses,
    unlink_family,
    update_record,
)
from .emergency import (
    add_reserve,
    check_reserve,
    close_incident,
    log_response,
    record_drill,
    report_incident,
    save_emergency_plan,
)
from .escalations import blow_whistle, respond_whistle, save_kind, whistle_overdue
from .hazards import rectify, reinspect, report_hazard, send_risk_notice, sweep_overdue, update_hazard
from .mediation import close_case, open_case, raise_tier, rates, record_session, request_mediator, take_case
from .patrols import check_in, close_rounds, generate_tasks, save_plan, save_point, save_route

__all__ = ["add_reserve", "blow_whistle", "check_reserve", "close_incident", "log_response", "record_drill",
           "report_incident", "respond_whistle", "save_emergency_plan", "link_family", "unlink_family", "save_kind", "whistle_overdue", "audit_list", "audit_view", "check_in", "close_case", "close_rounds", "enrol", "open_case", "raise_tier",
           "rates", "record_session", "request_mediator", "take_case", "generate_tasks", "log_visit",
           "rectify", "reinspect", "report_hazard", "resolve_warning", "save_plan", "save_point", "save_route",
           "send_risk_notice", "sweep_lapses", "sweep_overdue", "update_hazard", "update_record"]
