"""Words for this app's audit identifiers (collected by courtyard/core/audit_labels.py)."""

from django.utils.translation import gettext_lazy as _

from .choices import DiversityGroup

EVENTS = {
    "deliberation.election.create": _("Election created"),
    "deliberation.nomination.create": _("Nomination recorded"),
    "deliberation.nomination.answer": _("Nominee answered"),
    "deliberation.election.list": _("Candidate list confirmed"),
    "deliberation.election.ballot": _("Election ballot opened"),
    "deliberation.election.decide": _("Election result"),
}

# Change keys that are not model fields, and the diversity group codes in quotas and unmet lists.
TERMS = {
    "nominators": _("nominators"), "candidates": _("candidates"), "unmet": _("unmet quotas"),
    "winners": _("elected"), "open_seats": _("open seats"), "vote": _("vote"),
    **{g.value: g.label for g in DiversityGroup},
}
