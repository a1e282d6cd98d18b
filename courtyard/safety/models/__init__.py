from .care import CareRecord, CareVisit, CareWarning
from .emergency import Drill, EmergencyPlan, Incident, IncidentLog, Reserve, Whistle
from .hazards import Hazard, HazardKind
from .mediation import MediationCase, MediationSession
from .patrols import CheckIn, CheckPoint, PatrolPlan, PatrolTask, Route, RouteStop

__all__ = ["CareRecord", "CareVisit", "CareWarning", "CheckIn", "CheckPoint", "Drill", "EmergencyPlan", "Hazard", "HazardKind", "Incident", "IncidentLog", "MediationCase", "MediationSession", "PatrolPlan", "PatrolTask",
           "Reserve", "Route", "RouteStop", "Whistle"]
