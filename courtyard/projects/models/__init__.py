"""Models of the renovation projects app, split by subject."""

from .concerns import Concern, TestReport
from .consent import Consent, ConsentCampaign
from .library import ConsensusItem, Project, RectificationItem, Suggestion
from .payments import WorksPayment
from .plans import Opinion, PlanVersion
from .results import Evaluation, ResultIndicator
from .rollout import ExtensionRequest, Milestone, MilestoneProgress, Programme, ProgrammeUnit
from .surveys import Answer, Question, Response, Survey
from .upkeep import PreventiveOrder, RevenueAgreement, RevenuePosting
from .works import Acceptance, Contract, Facility, Handover, IllegalStructure, Inspection, Snag

__all__ = ["Acceptance", "Answer", "Concern", "ConsensusItem", "TestReport", "Consent", "ConsentCampaign", "Contract", "Evaluation",
           "ExtensionRequest", "Facility", "Handover", "IllegalStructure", "Inspection", "Milestone",
           "MilestoneProgress", "Opinion", "PlanVersion", "PreventiveOrder", "Programme", "ProgrammeUnit", "Project",
           "Question", "RectificationItem", "Response", "ResultIndicator", "RevenueAgreement", "RevenuePosting",
           "Snag", "Suggestion", "Survey", "WorksPayment"]
