"""Words for this app's audit identifiers (collected by courtyard/core/audit_labels.py)."""

from django.utils.translation import gettext_lazy as _

EVENTS = {
    "deliberation.election.create": _("Election created"),
    "deliberation.nomination.create": _("Nomination recorded"),
    "deliberation.nomination.answer": _("Nominee answered"),
    "deliberation.election.list": _("Candidate list confirmed"),
    "deliberation.election.ballot": _("Election ballot opened"),
    "deliberation.election.decide": _("Election result"),
    "org.body.term": _("Term of a body set"),
}
