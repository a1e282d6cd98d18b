"""Care register pages. Every page that shows a person in care records who looked (audited read);
nothing here is reachable without the narrow care permission, being the visiting worker or the
person's 包联 volunteer; the person in care and their family see only their own visits."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core.access import holders
from courtyard.core.audit import Actor
from courtyard.core.console import form_page, save
from courtyard.core.permissions import require_perm
from courtyard.org.choices import CareLevel
from courtyard.org.models import Person

from .. import domain, rules, selectors, services
from .. import permissions as P
from ..forms import CareEditForm, EnrolForm, FamilyForm, VisitForm
from ..models import CareRecord, CareWarning

WORKER_ROLES = ("grid_worker", "microgrid_worker", "community_staff", "social_worker")


def _due(rec: CareRecord):
    rec.due = domain.visit_due(rec.colour, rec.last_visit_at, rec.enrolled_at)
    rec.overdue = rec.due < timezone.now()
    return rec


def _records(request):
    records = [_due(r) for r in selectors.care_records_for(request.user).filter(active=True).prefetch_related(
        Prefetch("warnings", queryset=CareWarning.objects.filter(resolved_at__isnull=True), to_attr="open_warnings"))
        .order_by("path", "pk")[:200]]
    services.audit_list(by=Actor.from_request(request), records=records)
    return records


@require_perm(P.CARE)
def care_list(request):
    """The register (audited: the ids shown are recorded)."""
    colour = request.GET.get("colour", "")
    records = _records(request)
    if colour:
        records = [r for r in records if r.colour == colour]
    return render(request, "safety/care_list.html", {"records": records, "colour": colour, "colours": CareLevel.choices,
                                                     "may_enrol": request.user.has_perm(P.CARE_MANAGE)})


@require_perm(P.CARE_MANAGE)
def care_new(request):
    """Find the person by name (at most 30 matches in scope), then enrol them."""
    people = Person.objects.visible_to(request.user, P.CARE_MANAGE).filter(active=True)
    pid = request.GET.get("person", "")
    person = people.filter(pk=int(pid)).select_related("home").first() if pid.isdigit() else None
    if person is None:
        q = request.GET.get("q", "").strip()[:50]
        matches = people.filter(name__contains=q).select_related("home").order_by("name", "pk")[:30] if q else []
        return render(request, "safety/care_find.html", {"q": q, "matches": matches})
    form = EnrolForm(request.POST or None, request.FILES or None, people=people.filter(pk=person.pk),
                     workers=holders(list(WORKER_ROLES), person).order_by("display_name", "pk"),
                     initial={"person": person.pk})
    form.fields["person"].widget = form.fields["person"].hidden_widget()
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        saved = save(form, lambda: services.enrol(by=Actor.from_request(request), person=d["person"], group=d["group"],
                                                  colour=d["colour"], legal_basis=d["legal_basis"],
                                                  basis_note=d["basis_note"], worker=d["worker"], needs=d["needs"],
                                                  consent=d["consent"]))
        if saved:
            messages.success(request, _("Enrolled."))
            return redirect("safety:care_detail", saved.result.pk)
    return form_page(request, form, title=_("Enrol %(name)s in care") % {"name": person.name},
                     back_url=reverse("safety:care"),
                     intro=_("Care status is sensitive personal information: record why the community may hold it."))


@login_required
def care_detail(request, pk: int):
    rec = get_object_or_404(selectors.care_records_for(request.user), pk=pk)
    if not rules.may_view_care(request.user, rec):
        raise PermissionDenied
    services.audit_view(by=Actor.from_request(request), rec=rec)
    edit = family = None
    if rules.may_manage_care(request.user, rec):
        family = FamilyForm(request.POST if request.POST.get("action") == "family" else None, prefix="fam")
        if request.method == "POST" and request.POST.get("action") == "family":
            if family.is_valid() and save(family, lambda: services.link_family(
                    by=Actor.from_request(request), rec=rec, phone=family.cleaned_data["phone"])):
                messages.success(request, _("Saved."))
                return redirect("safety:care_detail", rec.pk)
        elif request.method == "POST" and request.POST.get("action") == "unfamily":
            member = rec.family.filter(pk=request.POST.get("user") or 0).first()
            if member is None:
                raise PermissionDenied
            services.unlink_family(by=Actor.from_request(request), rec=rec, user=member)
            messages.success(request, _("Saved."))
            return redirect("safety:care_detail", rec.pk)
        claimers = holders(["volunteer", "party_member"], rec).order_by("display_name", "pk")
        edit = CareEditForm(None if request.POST.get("action") else request.POST or None, workers=holders(list(WORKER_ROLES), rec).order_by("display_name"),
                            claimers=claimers, initial={"colour": rec.colour, "worker": rec.worker_id,
                                                        "claimed_by": rec.claimed_by_id, "needs": rec.needs,
                                                        "active": rec.active})
        if request.method == "POST" and not request.POST.get("action") and edit.is_valid():
            d = edit.cleaned_data
            if save(edit, lambda: services.update_record(by=Actor.from_request(request), rec=rec, **d)):
                messages.success(request, _("Saved."))
                return redirect("safety:care_detail", rec.pk)
    visits = rec.visits.select_related("by")[:30]
    return render(request, "safety/care_detail.html", {
        "rec": _due(rec), "visits": visits, "edit": edit, "may_visit": rules.may_visit(request.user, rec),
        "family": family, "family_members": rec.family.order_by("display_name", "pk") if family is not None else (),
        "warnings": rec.warnings.filter(resolved_at__isnull=True)}, status=400 if (edit and edit.errors) or (family and family.errors) else 200)


@require_perm(P.CARE)
def care_warnings(request):
    scoped = selectors.care_records_for(request.user).values("pk")
    rows = list(CareWarning.objects.filter(record__in=scoped, resolved_at__isnull=True).select_related(
        "record__person", "record__grid", "record__worker").order_by("-grade", "raised_at")[:200])
    services.audit_list(by=Actor.from_request(request), records=[w.record for w in rows])
    if request.method == "POST":
        w = next((x for x in rows if str(x.pk) == request.POST.get("warning")), None)
        if w is None:
            raise PermissionDenied
        services.resolve_warning(by=Actor.from_request(request), warning=w)
        messages.success(request, _("Warning marked as dealt with."))
        return redirect("safety:care_warnings")
    return render(request, "safety/care_warnings.html", {"rows": rows})


# ---------------------------------------------------------------- phone
@login_required
def visits_mine(request):
    """The worker's (or 包联 volunteer's) people to visit, most overdue first."""
    records = [r for r in _records(request) if r.worker_id == request.user.pk or r.claimed_by_id == request.user.pk]
    records.sort(key=lambda r: r.due)
    return render(request, "safety/visits_mine.html", {"records": records})


@login_required
def visit_new(request, pk: int):
    rec = get_object_or_404(selectors.care_records_for(request.user), pk=pk)
    if not rules.may_visit(request.user, rec):
        raise PermissionDenied
    services.audit_view(by=Actor.from_request(request), rec=rec, what="visit form")
    form = VisitForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if save(form, lambda: services.log_visit(by=Actor.from_request(request), rec=rec, **d)):
            messages.success(request, _("Visit recorded."))
            return redirect("safety:visits_mine")
    return render(request, "safety/visit_new.html", {"rec": _due(rec), "form": form},
                  status=400 if form.errors else 200)


@login_required
def my_visits(request):
    """The person in care, or a family member linked to them: their own visits, nobody else's."""
    rows = list(selectors.own_visits(request.user)[:50])
    return render(request, "safety/my_visits.html", {"rows": rows})

