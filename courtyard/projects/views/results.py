"""The project's results page (PRJ-9): before/after indicators and the post-project evaluation, published
to the unit's results board on its public page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from courtyard.core.audit import Actor
from courtyard.core.console import messages_from, save
from courtyard.core.permissions import require_perm

from .. import permissions as p
from .. import services, upkeep_forms
from ..models import Evaluation, Project
from ..results import project_results
from ._common import crumbs


@require_perm(p.VIEW)
def results(request, pk: int):
    project = get_object_or_404(Project.objects.visible_to(request.user).select_related("unit"), pk=pk)
    can_manage = request.user.has_perm(p.MANAGE, project)
    ev = Evaluation.objects.filter(project=project).first()
    rform = upkeep_forms.ResultForm(prefix="r") if can_manage else None
    initial = {k: getattr(ev, k) for k in ("goals_set", "goals_met", "surveyed", "satisfied", "summary",
                                           "residents_said")} if ev else {}
    if ev:
        initial["spent_fen"] = f"{ev.spent_fen // 100}.{ev.spent_fen % 100:02d}"
    eform = upkeep_forms.EvaluationForm(prefix="e", initial=initial) if can_manage and not (
        ev and ev.published_at) else None
    status = 200
    if request.method == "POST":
        by, action = Actor.from_request(request), request.POST.get("action")
        try:
            if action == "result" and rform is not None:
                rform = upkeep_forms.ResultForm(request.POST, prefix="r")
                if rform.is_valid() and save(rform, lambda: services.set_result(by=by, project=project,
                                                                                **rform.cleaned_data)):
                    messages.success(request, _("The indicator is recorded."))
                    return redirect("projects:results", pk=project.pk)
            elif action == "evaluate" and eform is not None:
                eform = upkeep_forms.EvaluationForm(request.POST, prefix="e")
                if eform.is_valid() and save(eform, lambda: services.record_evaluation(by=by, project=project,
                                                                                       **eform.cleaned_data)):
                    messages.success(request, _("The evaluation is recorded."))
                    return redirect("projects:results", pk=project.pk)
            elif action == "publish" and can_manage and ev is not None:
                services.publish_evaluation(by=by, evaluation=ev)
                messages.success(request, _("The results are on the unit's public page."))
                return redirect("projects:results", pk=project.pk)
            else:
                raise PermissionDenied
        except (ValidationError, PermissionDenied) as exc:
            messages_from(request, exc)
        status = 400
    return render(request, "projects/console_results.html", {
        "project": project, **project_results(project), "rform": rform, "eform": eform, "can_manage": can_manage,
        "breadcrumbs": crumbs({"label": project.title, "url": project.get_console_url()},
                              {"label": _("Results")})}, status=status)
