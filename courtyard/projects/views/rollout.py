"""Console pages of the rollout programme (挂图作战, PRJ-8): the list, a new programme, and the board with
its phases, milestones, progress and extension requests (decided by the subdistrict party working
committee)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courtyard.core.audit import Actor
from courtyard.core.console import Column, ListPage, messages_from, save, service_form
from courtyard.core.permissions import require_perm
from courtyard.org.choices import PlaceKind
from courtyard.org.models import Place, SelfGovernanceUnit

from .. import permissions as p
from .. import rules, services, upkeep_forms
from ..choices import ExtensionState
from ..models import ExtensionRequest, Milestone, Programme
from ..rollout import board


def _crumbs(*extra):
    return [{"label": _("Rollout programme"), "url": reverse("projects:programmes")}, *extra]


class ProgrammeList(ListPage):
    title = gettext_lazy("Rollout programme")
    permission = p.VIEW
    template = "projects/console_programmes.html"
    ordering = ("-starts_on", "pk")
    columns = [
        Column("title", gettext_lazy("Programme"), link=lambda x: x.get_console_url()),
        Column("subdistrict", gettext_lazy("Subdistrict"), value="subdistrict.name"),
        Column("starts_on", gettext_lazy("Starts on"), value=lambda x: x.starts_on.isoformat()),
    ]

    def get_queryset(self, user):
        return Programme.objects.visible_to(user).select_related("subdistrict")

    def extra_context(self, request):
        return {"can_add": request.user.has_perm(p.ROLLOUT)}


@require_perm(p.ROLLOUT)
def programme_new(request):
    subdistricts = Place.objects.visible_to(request.user, p.ROLLOUT).filter(kind=PlaceKind.SUBDISTRICT).order_by("name")
    form = upkeep_forms.ProgrammeForm(request.POST or None, subdistricts=subdistricts)
    return service_form(
        request, form, title=_("New rollout programme"), back_url=reverse("projects:programmes"), crumbs=_crumbs(),
        write=lambda d: services.create_programme(by=Actor.from_request(request), **d),
        success=_("The programme is set up: add its courtyards and milestones."), next=lambda x: x.get_console_url())


def _forms(request, prog, data=None):
    user = request.user
    units = SelfGovernanceUnit.objects.filter(community__path__startswith=prog.subdistrict.path).order_by("name")
    in_prog = SelfGovernanceUnit.objects.filter(pk__in=prog.units.values("unit_id")).order_by("name")
    milestones = Milestone.objects.filter(programme=prog)
    out = {}
    if user.has_perm(p.ROLLOUT, prog):
        out["uform"] = upkeep_forms.ProgrammeUnitForm(data, prefix="u", units=units)
        out["mform"] = upkeep_forms.MilestoneForm(data, prefix="m")
        out["pform"] = upkeep_forms.ProgressForm(data, prefix="p", milestones=milestones, units=in_prog)
    managed = in_prog.filter(pk__in=SelfGovernanceUnit.objects.visible_to(user, p.MANAGE).values("pk"))
    if managed.exists():
        out.setdefault("pform", upkeep_forms.ProgressForm(data, prefix="p", milestones=milestones, units=managed))
        out["eform"] = upkeep_forms.ExtensionForm(data, prefix="e", milestones=milestones, units=managed)
    return out


ACTIONS = {"unit": ("uform", "add_programme_unit"), "milestone": ("mform", "add_milestone"),
           "progress": ("pform", "record_progress"), "extend": ("eform", "request_extension")}


@require_perm(p.VIEW)
def programme_detail(request, pk: int):
    prog = get_object_or_404(Programme.objects.visible_to(request.user).select_related("subdistrict"), pk=pk)
    forms_ = _forms(request, prog)
    status = 200
    if request.method == "POST":
        by, action = Actor.from_request(request), request.POST.get("action", "")
        try:
            if action in ACTIONS and ACTIONS[action][0] in forms_:
                key, name = ACTIONS[action]
                forms_[key] = form = _forms(request, prog, request.POST)[key]
                write = getattr(services, name)
                extra = {} if action in ("progress", "extend") else {"programme": prog}
                if form.is_valid() and save(form, lambda: write(by=by, **extra, **form.cleaned_data)):
                    messages.success(request, _("Saved."))
                    return redirect(prog.get_console_url())
            elif action in ("approve", "refuse"):
                ext = get_object_or_404(ExtensionRequest.objects.filter(milestone__programme=prog),
                                        pk=request.POST.get("extension"))
                services.decide_extension(by=by, extension=ext, approve=action == "approve",
                                          note=request.POST.get("note", "")[:300])
                messages.success(request, _("The extension request is decided."))
                return redirect(prog.get_console_url())
            else:
                raise PermissionDenied
        except (ValidationError, PermissionDenied) as exc:
            messages_from(request, exc)
        status = 400
    pending = list(ExtensionRequest.objects.filter(milestone__programme=prog, state=ExtensionState.PENDING)
                   .select_related("milestone", "unit", "requested_by"))
    return render(request, "projects/console_programme.html", {
        "prog": prog, "phases": board(prog), **forms_,
        "pending": [{"x": x, "can_decide": rules.extension_refusal(request.user, x) is None} for x in pending],
        "breadcrumbs": _crumbs({"label": prog.title})}, status=status)
