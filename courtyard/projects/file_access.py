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
