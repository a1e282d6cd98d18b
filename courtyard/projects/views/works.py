"""Console pages of construction supervision, staged acceptance and handover (PRJ-4, PRJ-5), and the
facility register (PRJ-6)."""

from __future__ import annotations

import django_filters as df
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courtyard.core import hooks
from courtyard.core.audit import Actor
from courtyard.core.console import Column, ListPage, messages_from, save, service_form
from courtyard.core.models import Attachment
from courtyard.core.permissions import require_perm
from courtyard.org.choices import PlaceKind
from courtyard.org.models import PartnerUnit, Place, SelfGovernanceUnit

from .. import forms, rules, services
from .. import permissions as p
from ..choices import AcceptanceStage, Criterion, FacilityKind, Party
from ..models import Concern, Facility, Handover, Inspection, Project, Snag
from ..money import yuan
from ..results import public_reports
from ._common import crumbs
from .library import UnitFilterSet


def _files(model, ids):
    out: dict[int, list] = {}
    for a in Attachment.objects.filter(owner_type=ContentType.objects.get_for_model(model),
                                       owner_id__in=[str(i) for i in ids]).order_by("pk"):
        out.setdefault(int(a.owner_id), []).append(a)
    return out


@require_perm(p.VIEW)
def works(request, pk: int):
    project = get_object_or_404(Project.objects.visible_to(request.user).select_related("unit", "community"), pk=pk)
    user = request.user
    can_inspect = user.has_perm(p.INSPECT, project)
    iform = forms.InspectionForm(prefix="i") if can_inspect else None
    aform = forms.AcceptanceForm(prefix="a") if can_inspect else None
    handover = Handover.objects.filter(project=project).first()
    hform = forms.HandoverForm(prefix="h") if can_inspect and handover is None else None
    tform = forms.TestReportForm(prefix="t") if can_inspect else None
    partners = PartnerUnit.objects.filter(community_id=project.community_id).order_by("name")
    cform = forms.ContractForm(prefix="k", partners=partners) if user.has_perm(p.MANAGE, project) else None
    status = 200
    if request.method == "POST":
        by = Actor.from_request(request)
        action = request.POST.get("action")
        try:
            if action == "inspect" and iform is not None:
                iform = forms.InspectionForm(request.POST, request.FILES, prefix="i")
                if iform.is_valid() and save(iform, lambda: services.record_inspection(
                        by=by, project=project, **{k: v for k, v in iform.cleaned_data.items() if k != "photos"},
                        photos=iform.cleaned_data["photos"])):
                    messages.success(request, _("The inspection is in the ledger."))
                    return redirect("projects:works", pk=project.pk)
                status = 400
            elif action == "contract" and cform is not None:
                cform = forms.ContractForm(request.POST, prefix="k", partners=partners)
                if cform.is_valid() and save(cform, lambda: services.record_contract(by=by, project=project,
                                                                                     **cform.cleaned_data)):
                    messages.success(request, _("The contract is recorded."))
                    return redirect("projects:works", pk=project.pk)
                status = 400
            elif action == "sign":
                ins = get_object_or_404(Inspection.objects.filter(project=project), pk=request.POST.get("inspection"))
                services.sign_inspection(by=by, inspection=ins)
                messages.success(request, _("Signed."))
                return redirect("projects:works", pk=project.pk)
            elif action == "accept" and aform is not None:
                aform = forms.AcceptanceForm(request.POST, prefix="a")
                if aform.is_valid():
                    d = aform.cleaned_data
                    if save(aform, lambda: services.record_acceptance(
                            by=by, project=project, stage=d["stage"], passed=d["passed"], note=d["note"],
                            parties=d["parties"], criteria=aform.criteria(), snags=d["snags"], held_on=d["held_on"])):
                        messages.success(request, _("The acceptance stage is recorded."))
                        return redirect("projects:works", pk=project.pk)
                status = 400
            elif action == "close_snag" and can_inspect:
                snag = get_object_or_404(Snag.objects.filter(project=project), pk=request.POST.get("snag"))
                services.close_snag(by=by, snag=snag)
                messages.success(request, _("The snag is closed."))
                return redirect("projects:works", pk=project.pk)
            elif action == "report" and tform is not None:
                tform = forms.TestReportForm(request.POST, request.FILES, prefix="t")
                if tform.is_valid() and save(tform, lambda: services.publish_test_report(by=by, project=project,
                                                                                         **tform.cleaned_data)):
                    messages.success(request, _("The test report is published."))
                    return redirect("projects:works", pk=project.pk)
                status = 400
            elif action == "handover" and hform is not None:
                hform = forms.HandoverForm(request.POST, request.FILES, prefix="h")
                if hform.is_valid() and save(hform, lambda: services.hand_over(by=by, project=project,
                                                                               **hform.cleaned_data)):
                    messages.success(request, _("The archive is handed over."))
                    return redirect("projects:works", pk=project.pk)
                status = 400
            else:
                raise PermissionDenied
        except (ValidationError, PermissionDenied) as exc:
            messages_from(request, exc)
    inspections = list(project.inspections.select_related("signed_by", "recorded_by"))
    photos = _files(Inspection, [i.pk for i in inspections])
    acceptances = list(project.acceptances.select_related("recorded_by"))
    labels = {"parties": dict(Party.choices), "criteria": dict(Criterion.choices)}
    rows = [{"a": a, "parties": [labels["parties"].get(x, x) for x in a.parties],
             "criteria": [(labels["criteria"].get(k, k), v) for k, v in a.criteria.items()]} for a in acceptances]
    return render(request, "projects/console_works.html", {
        "project": project, "inspections": [{"i": i, "photos": photos.get(i.pk, []),
                                             "can_sign": rules.sign_inspection_refusal(user, i) is None}
                                            for i in inspections],
        "acceptances": rows, "snags": list(project.snags.select_related("acceptance")), "handover": handover,
        "receipt": (_files(Handover, [handover.pk]).get(handover.pk, []) if handover else []),
        "iform": iform, "aform": aform, "hform": hform, "cform": cform, "can_inspect": can_inspect,
        "contracts": [{"c": c, "amount": yuan(c.amount_fen), "retention": yuan(c.retention_fen),
                       "quotes": [(q["party"], yuan(q["amount_fen"])) for q in c.quotes]}
                      for c in project.contracts.all()],
        "stages": AcceptanceStage.choices, "tform": tform, **_concerns(project),
        "breadcrumbs": crumbs({"label": project.title, "url": project.get_console_url()},
                              {"label": _("Works and acceptance")})}, status=status)


def _concerns(project) -> dict:
    concerns = list(Concern.objects.filter(project=project)[:30])
    states = hooks.ask("servicedesk.request_states", {}, ids=[c.request_id for c in concerns]) if concerns else {}
    return {"concerns": [{"c": c, "r": states.get(c.request_id)} for c in concerns],
            "reports": public_reports([project]).get(project.pk, [])}


class FacilityFilter(UnitFilterSet):
    unit = df.ModelChoiceFilter(label=gettext_lazy("Self-governance unit"), queryset=SelfGovernanceUnit.objects.none())
    kind = df.ChoiceFilter(label=gettext_lazy("Kind"), choices=FacilityKind.choices)

    class Meta:
        model = Facility
        fields = ["unit", "kind"]


def _date(d):
    return d.isoformat() if d else None


class FacilityList(ListPage):
    title = gettext_lazy("Facility register")
    permission = p.VIEW
    export_name = "facilities"
    filterset_class = FacilityFilter
    template = "projects/console_facilities.html"
    ordering = ("unit_id", "kind", "name", "pk")
    columns = [
        Column("name", gettext_lazy("Facility"), sort=("name",),
               link=lambda f: reverse("projects:facility", args=[f.pk])),
        Column("unit", gettext_lazy("Unit"), value="unit.name"),
        Column("kind", gettext_lazy("Kind"), sort=("kind",)),
        Column("place", gettext_lazy("Building or entrance"), value="place.name"),
        Column("location", gettext_lazy("Location")),
        Column("owner", gettext_lazy("Owner")),
        Column("maintenance_standard", gettext_lazy("Maintenance standard")),
        Column("funding_source", gettext_lazy("Funding source")),
        Column("every", gettext_lazy("Maintenance every (days)"), value="maintenance_every_days", numeric=True),
        Column("next_due", gettext_lazy("Next maintenance due"), value=lambda f: _date(f.next_due)),
        Column("warranty_ends", gettext_lazy("Warranty ends"), value=lambda f: _date(f.warranty_ends)),
    ]

    def get_queryset(self, user):
        return Facility.objects.visible_to(user).select_related("unit", "place")

    def extra_context(self, request):
        return {"can_add": request.user.has_perm(p.INSPECT)}


@require_perm(p.INSPECT)
def facility_new(request):
    units = SelfGovernanceUnit.objects.visible_to(request.user, p.INSPECT).order_by("name")
    places = Place.objects.visible_to(request.user).filter(
        kind__in=[PlaceKind.BUILDING, PlaceKind.ENTRANCE]).order_by("path")[:500]
    places = Place.objects.filter(pk__in=[x.pk for x in places]).order_by("path")
    partners = PartnerUnit.objects.visible_to(request.user).order_by("name")[:500]
    partners = PartnerUnit.objects.filter(pk__in=[x.pk for x in partners]).order_by("name")
    form = forms.FacilityForm(request.POST or None, units=units, places=places, partners=partners)
    return service_form(
        request, form, title=_("Register a facility"), back_url=reverse("projects:facilities"),
        crumbs=[{"label": _("Facility register"), "url": reverse("projects:facilities")}],
        write=lambda d: services.create_facility(by=Actor.from_request(request), **d),
        success=_("The facility is in the register."), next=reverse("projects:facilities"))
