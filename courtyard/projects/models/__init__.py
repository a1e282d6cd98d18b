"""Models of the renovation projects app, split by subject."""

from .consent import Consent, ConsentCampaign
from .library import ConsensusItem, Project, RectificationItem, Suggestion
from .plans import Opinion, PlanVersion
from .surveys import Answer, Question, Response, Survey

__all__ = ["Answer", "ConsensusItem", "Consent", "ConsentCampaign", "Opinion", "PlanVersion", "Project", "Question",
           "RectificationItem", "Response", "Suggestion", "Survey"]
