"""Models of the renovation projects app, split by subject."""

from .consent import Consent, ConsentCampaign
from .library import ConsensusItem, Project, RectificationItem, Suggestion
from .plans import Opinion, PlanVersion
from .surveys import Answer, Question, Response, Survey
from .works import Acceptance, Contract, Facility, Handover, IllegalStructure, Inspection, Snag

__all__ = ["Acceptance", "Answer", "ConsensusItem", "Contract", "Consent", "ConsentCampaign", "Facility", "Handover", "IllegalStructure", "Inspection", "Opinion", "PlanVersion", "Project", "Question",
           "RectificationItem", "Response", "Snag", "Suggestion", "Survey"]
