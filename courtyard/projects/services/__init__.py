"""Every write of the projects app: keyword-only arguments, one transaction, one audit event each,
and the same rule the views ask (rules.py) checked first. Split by subject."""

from .concerns import publish_test_report, raise_concern
from .consent import close_campaign, create_campaign, hand_over_to_vote, record_consent
from .library import (
    add_rectification,
    add_suggestion,
    complete_rectification,
    create_project,
    merge_suggestions,
    set_status,
)
from .payments import contract_money, request_works_payment, retention_released_on
from .plans import add_plan, approve_plan, dispose_opinion, give_opinion, publish_plan
from .results import publish_evaluation, record_evaluation, set_result
from .rollout import (
    add_milestone,
    add_programme_unit,
    create_programme,
    decide_extension,
    record_progress,
    request_extension,
)
from .surveys import add_question, create_survey, set_state, submit_response
from .upkeep import (
    add_revenue_agreement,
    file_preventive_order,
    file_preventive_orders,
    post_revenue_share,
    share_of,
)
from .works import (
    close_snag,
    create_facility,
    hand_over,
    record_acceptance,
    record_contract,
    record_inspection,
    record_maintenance,
    register_structure,
    sign_inspection,
    update_structure,
)

__all__ = ["add_plan", "add_question", "add_rectification", "add_suggestion", "approve_plan", "close_campaign", "close_snag", "create_facility", "hand_over", "record_acceptance", "record_contract",
           "record_inspection", "record_maintenance", "register_structure", "sign_inspection", "update_structure",
           "complete_rectification", "create_campaign", "create_project", "create_survey", "dispose_opinion",
           "give_opinion", "merge_suggestions", "publish_plan", "record_consent", "set_state", "set_status",
           "submit_response", "hand_over_to_vote", "contract_money", "request_works_payment",
           "retention_released_on", "publish_evaluation", "record_evaluation", "set_result", "add_milestone",
           "add_programme_unit", "create_programme", "decide_extension", "record_progress", "request_extension",
           "add_revenue_agreement", "file_preventive_order", "file_preventive_orders", "post_revenue_share",
           "share_of", "publish_test_report", "raise_concern"]
