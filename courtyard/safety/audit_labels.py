"""Words for this app's audit identifiers (collected by courtyard/core/audit_labels.py)."""

from django.utils.translation import gettext_lazy as _

EVENTS = {
    "safety.hazard.create": _("Hazard registered"),
    "safety.hazard.update": _("Hazard graded or assigned"),
    "safety.hazard.rectify": _("Hazard reported rectified"),
    "safety.hazard.close": _("Hazard closed after re-inspection"),
    "safety.hazard.reopen": _("Hazard sent back at re-inspection"),
    "safety.hazard.escalate": _("Overdue hazard escalated"),
    "safety.hazard.notice": _("Risk notice sent"),
    "safety.point.create": _("Check point created"),
    "safety.point.update": _("Check point changed"),
    "safety.route.create": _("Patrol route created"),
    "safety.route.update": _("Patrol route changed"),
    "safety.plan.create": _("Patrol plan created"),
    "safety.plan.update": _("Patrol plan changed"),
    "safety.task.create": _("Patrol task generated"),
    "safety.task.missed": _("Patrol round missed"),
    "safety.checkin.create": _("Patrol check-in"),
    "safety.care.create": _("Person enrolled in care"),
    "safety.care.update": _("Care record changed"),
    "safety.care.view": _("Care record viewed"),
    "safety.care.list": _("Care register viewed"),
    "safety.visit.create": _("Care visit logged"),
    "safety.warning.raise": _("Care warning raised"),
    "safety.warning.resolve": _("Care warning dealt with"),
}
