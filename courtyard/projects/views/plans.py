"""Console pages of plan versions, opinions and dispositions (PRJ-3)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from courtyard.core.audit import Actor
from courtyard.core.console import messages_from, save, service_form
from courtyard.core.models import Attachment
from courtyard.core.permissions import require_perm

from .. import forms, rules, services
from .. import permissions as p
from ..models import Opinion, PlanVersion, Project
from ._common import crumbs


def drawings(plan):
    return list(Attachment.objects.filter(owner_type=ContentType.objects.get_for_model(PlanVersion),
                                          owner_id=str(plan.pk)).order_by("pk"))


@require_perm(p.MANAGE)
def plan_new(request, pk: int):
    project = get_object_or_404(Project.objects.visible_to(request.user, p.MANAGE).select_related("unit"), pk=pk)
    form = forms.PlanForm(request.POST or None, request.FILES or None)
    return service_form(
        request, form, title=_("New plan version"), back_url=project.get_console_url(),
        crumbs=crumbs({"label": project.title, "url": project.get_console_url()}),
        write=lambda d: services.add_plan(by=Actor.from_request(request), project=project, **d),
        success=_("The plan version is saved as a draft."), next=lambda plan: plan.get_console_url())


@require_perm(p.VIEW)
def plan_detail(request, pk: int):
    plan = get_object_or_404(PlanVersion.objects.visible_to(request.user).select_related(
        "project__unit", "project__community", "approved_by"), pk=pk)
    user = request.user
    project = plan.project
    opinions = list(plan.opinions.select_related("disposed_by").order_by("pk"))
    can_manage = user.has_perm(p.MANAGE, project)
    can_dispose = rules.holds_office(user, p.DISPOSE, project)
    undisposed = sum(1 for o in opinions if not o.disposition)
    approve_refusal = rules.approve_refusal(user, plan, undisposed=undisposed)
    if request.method == "POST":
        by = Actor.from_request(request)
        action = request.POST.get("action")
        try:
            if action == "publish" and can_manage:
                services.publish_plan(by=by, plan=plan)
                messages.success(request, _("The plan is published with an opinion box."))
                return redirect(plan.get_console_url())
            if action == "approve":
                services.approve_plan(by=by, plan=plan)
                messages.success(request, _("The plan is approved as the final version."))
                return redirect(plan.get_console_url())
            if action == "dispose":
                opinion = get_object_or_404(Opinion.objects.filter(plan=plan), pk=request.POST.get("opinion"))
                form = forms.DisposeForm(request.POST, prefix=f"o{opinion.pk}")
                if form.is_valid() and save(form, lambda: services.dispose_opinion(
                        by=by, opinion=opinion, **form.cleaned_data)):
                    messages.success(request, _("The disposition is recorded."))
                    return redirect(plan.get_console_url())
                for errors in form.errors.values():
                    for e in errors:
                        messages.error(request, e)
            else:
                raise PermissionDenied
        except (ValidationError, PermissionDenied) as exc:
            messages_from(request, exc)
    rows = [{"o": o, "form": forms.DisposeForm(prefix=f"o{o.pk}", initial={"disposition": o.disposition,
                                                                        "reason": o.reason})}
            for o in opinions]
    return render(request, "projects/console_plan.html", {
        "plan": plan, "project": project, "rows": rows, "drawings": drawings(plan), "can_manage": can_manage,
        "can_dispose": can_dispose and plan.state == "published", "can_approve": approve_refusal is None,
        "undisposed": undisposed,
        "breadcrumbs": crumbs({"label": project.title, "url": project.get_console_url()}, {"label": str(plan)})})
