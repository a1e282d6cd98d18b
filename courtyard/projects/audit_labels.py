"""Words for this app's audit identifiers (collected by courtyard/core/audit_labels.py)."""

from django.utils.translation import gettext_lazy as _

EVENTS = {
    "projects.suggestion.add": _("Suggestion recorded"),
    "projects.consensus.merge": _("Suggestions merged into a consensus item"),
    "projects.project.create": _("Key project added to the library"),
    "projects.project.status": _("Project status changed"),
    "projects.rectification.add": _("Rectification item added"),
    "projects.rectification.done": _("Rectification item done"),
    "projects.survey.create": _("Needs survey created"),
    "projects.question.add": _("Survey question added"),
    "projects.survey.open": _("Needs survey opened"),
    "projects.survey.closed": _("Needs survey closed"),
    "projects.survey.answer": _("Survey answered"),
    "projects.campaign.create": _("Consent campaign opened"),
    "projects.campaign.close": _("Consent campaign closed"),
    "projects.consent.record": _("Household consent recorded"),
    "projects.plan.add": _("Plan version added"),
    "projects.plan.publish": _("Plan published for opinions"),
    "projects.plan.supersede": _("Plan version superseded"),
    "projects.plan.approve": _("Final plan approved"),
    "projects.opinion.give": _("Opinion on a plan given"),
    "projects.opinion.dispose": _("Opinion disposed of"),
}
