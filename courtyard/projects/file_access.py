"""Who may fetch plan drawings (see courtyard.core.file_access): staff who see the plan, and residents
of the unit once the plan is published or approved."""

from courtyard.core import file_access

from . import rules


def _plan(user, plan) -> bool:
    from .choices import PlanState
    from .models import PlanVersion

    if PlanVersion.objects.visible_to(user).filter(pk=plan.pk).exists():
        return True
    return plan.state in (PlanState.PUBLISHED, PlanState.APPROVED) and \
        plan.project.unit_id in rules.resident_unit_ids(user)


file_access.register("projects.planversion", can_view=_plan)


def _project_row(user, row) -> bool:
    """Inspection photos and handover receipts: whoever sees the row (staff, partners, representatives)."""
    return type(row).objects.visible_to(user).filter(pk=row.pk).exists()


file_access.register("projects.inspection", can_view=_project_row)
file_access.register("projects.handover", can_view=_project_row)


def _may_publish_report(user, row) -> bool:
    from . import permissions as p

    return rules.staff_refusal(user, p.INSPECT, row.project) is None


# Third-party test reports are published documents: the file is published with the report (anyone,
# signed in or not, may read it); before that only those who see the row.
file_access.register("projects.testreport", can_view=_project_row, publishable=True, can_publish=_may_publish_report)
