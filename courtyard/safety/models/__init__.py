from .care import CareRecord, CareVisit, CareWarning
from .hazards import Hazard
from .patrols import CheckIn, CheckPoint, PatrolPlan, PatrolTask, Route, RouteStop

__all__ = ["CareRecord", "CareVisit", "CareWarning", "CheckIn", "CheckPoint", "Hazard", "PatrolPlan", "PatrolTask",
           "Route", "RouteStop"]
