"""Every write of the projects app: keyword-only arguments, one transaction, one audit event each,
and the same rule the views ask (rules.py) checked first. Split by subject."""

from .consent import close_campaign, create_campaign, record_consent
from .library import (
    add_rectification,
    add_suggestion,
    complete_rectification,
    create_project,
    merge_suggestions,
    set_status,
)
from .plans import add_plan, approve_plan, dispose_opinion, give_opinion, publish_plan
from .surveys import add_question, create_survey, set_state, submit_response

__all__ = ["add_plan", "add_question", "add_rectification", "add_suggestion", "approve_plan", "close_campaign",
           "complete_rectification", "create_campaign", "create_project", "create_survey", "dispose_opinion",
           "give_opinion", "merge_suggestions", "publish_plan", "record_consent", "set_state", "set_status",
           "submit_response"]
