"""Words for this app's audit identifiers (collected by courtyard/core/audit_labels.py)."""

from django.utils.translation import gettext_lazy as _

from courtyard.core.access import ROLES

EVENTS = {
    "org.demo_data.load": _("Demo data loaded"),
}
# Role codes appear as keys of summaries (e.g. demo logins per role).
TERMS = {code: role.label for code, role in ROLES.items()}
