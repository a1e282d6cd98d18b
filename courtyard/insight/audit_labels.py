"""Words for this app's audit identifiers (collected by courtyard/core/audit_labels.py)."""

from django.utils.translation import gettext_lazy as _

EVENTS = {
    "insight.case.open": _("Warning case opened"),
    "insight.case.raise": _("Warning case raised to a listed case"),
    "insight.case.action": _("Action logged on a warning case"),
    "insight.case.assign": _("Warning case owner or deadline set"),
    "insight.case.close": _("Warning case closed"),
    "insight.report.request": _("Evaluation report requested"),
}
