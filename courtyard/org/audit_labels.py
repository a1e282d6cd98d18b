"""Words for this app's audit identifiers (collected by courtyard/core/audit_labels.py)."""

from django.utils.translation import gettext_lazy as _

from courtyard.core.access import ROLES

EVENTS = {
    "org.demo_data.load": _("Demo data loaded"),
    "org.duties.version": _("Rights and duties list: new version"),
    "org.duties.item": _("Rights and duties list: item added"),
    "org.duties.adopt": _("Rights and duties list adopted"),
    "org.duties.coverage": _("Duty coverage recorded"),
    "org.body.liaison": _("Liaison grids set"),
    "org.body.term": _("Term of a body set"),
}
# Role codes appear as keys of summaries (e.g. demo logins per role).
TERMS = {code: role.label for code, role in ROLES.items()}
TERMS.update({"grids": _("liaison grids"), "item": _("item")})
