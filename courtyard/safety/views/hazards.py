"""Hazard register pages: the console list, new finding, detail with grading, rectification,
re-inspection and risk notice (with its printable A4); the worker's phone page; residents' report,
their own reports and the risk notices for their home."""

from __future__ import annotations

import datetime as dt

import django_filters as df
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from courtyard.core.audit import Actor
from courtyard.core.console import Column, form_page, messages_from, save
from courtyard.core.pdf import pdf_response, qr_svg
from courtyard.core.permissions import require_perm
from courtyard.org.choices import PlaceKind
from courtyard.org.models import Place

from .. import permissions as P
from .. import rules, selectors, services
from ..choices import Grade, HazardSource, HazardState
from ..forms import HazardEditForm, HazardForm, RectifyForm, ReinspectForm, ResidentHazardForm
from ..models import Hazard
from ._util import SafetyList, pct, photos_of, request_url, staff_over

HAZARDS = "safety:hazards"


class HazardFilter(df.FilterSet):
    state = df.ChoiceFilter(label=gettext_lazy("State"), choices=HazardState.choices)
    grade = df.ChoiceFilter(label=gettext_lazy("Grade"), choices=Grade.choices)
    source = df.ChoiceFilter(label=gettext_lazy("Source"), choices=HazardSource.choices)
    overdue = df.BooleanFilter(label=gettext_lazy("Overdue"), method="filter_overdue",
                               widget=forms.Select(choices=[("", "—"), ("true", gettext_lazy("Overdue"))]))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.form.fields.values():
            f.widget.attrs.setdefault("class", "form-select form-select-sm")

    def filter_overdue(self, qs, name, value):
        return qs.filter(selectors.overdue_q()) if value else qs


def _deadline(h: Hazard) -> str:
    text = timezone.localtime(h.deadline).strftime("%Y-%m-%d %H:%M")
    if h.state == HazardState.OPEN and h.deadline < timezone.now():
        return _("%(deadline)s (overdue)") % {"deadline": text}
    return text


class HazardList(SafetyList):
    title = gettext_lazy("Hazard register")
    permission = P.VIEW
    export_name = "hazards"
    filterset_class = HazardFilter
    ordering = ("deadline", "pk")
    columns = [
        Column("title", gettext_lazy("Hazard"), link=lambda h: reverse("safety:hazard", args=[h.pk])),
        Column("grade", gettext_lazy("Grade")),
        Column("place.name", gettext_lazy("Where")),
        Column("source", gettext_lazy("Source")),
        Column("state", gettext_lazy("State")),
        Column("owner", gettext_lazy("Responsible person")),
        Column("deadline", gettext_lazy("Rectify by"), value=_deadline, sort=("deadline",)),
        Column("escalation", gettext_lazy("Escalation level"), numeric=True),
    ]

    def get_queryset(self, user):
        return selectors.hazards_for(user)

    def extra_context(self, request):
        actions = [(reverse("safety:assessment"), _("Quarterly risk assessment"))]
        if request.user.has_perm(P.HANDLE):
            actions.insert(0, (reverse("safety:hazard_new"), _("Record an inspection finding")))
        return {"actions": actions}


def _owners(user, place):
    return staff_over(place)


@require_perm(P.HANDLE)
def hazard_new(request):
    places = selectors.places_for(request.user, P.HANDLE)
    place = places.filter(pk=request.POST.get("place") or 0).first() if request.method == "POST" else None
    form = HazardForm(request.POST or None, request.FILES or None, places=places,
                      owners=_owners(request.user, place) if place else staff_over(places.first()),
                      kinds=selectors.kinds_for(request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        saved = save(form, lambda: services.report_hazard(
            by=Actor.from_request(request), place=d["place"], title=d["title"], grade=d["grade"],
            source=HazardSource.REQUEST if d["request_id"] else HazardSource.INSPECTION, description=d["description"],
            measures=d["measures"], owner=d["owner"], photos=[d["photos"]] if d["photos"] else [],
            request_id=d["request_id"], kind=d["kind"]))
        if saved:
            messages.success(request, _("The hazard is in the register."))
            return redirect("safety:hazard", saved.result.pk)
    return form_page(request, form, title=_("Record an inspection finding"), back_url=reverse(HAZARDS))


@require_perm(P.VIEW)
def hazard_detail(request, pk: int):
    hazard = get_object_or_404(selectors.hazards_for(request.user), pk=pk)
    user = request.user
    edit = rectify = reinspect = None
    kinds = selectors.kinds_for(user)
    if rules.may_handle_hazard(user, hazard) and hazard.state != HazardState.CLOSED:
        edit = HazardEditForm(initial={"grade": hazard.grade, "owner": hazard.owner_id, "measures": hazard.measures,
                                       "kind": hazard.kind_id}, owners=staff_over(hazard), kinds=kinds)
    if rules.may_rectify(user, hazard):
        rectify = RectifyForm()
    if rules.may_reinspect(user, hazard):
        reinspect = ReinspectForm()
    if request.method == "POST":
        action = request.POST.get("action")
        by = Actor.from_request(request)
        form, write = None, None
        if action == "edit" and edit is not None:
            form = edit = HazardEditForm(request.POST, owners=staff_over(hazard), kinds=kinds)
            write = lambda d: services.update_hazard(by=by, hazard=hazard, grade=d["grade"], owner=d["owner"],  # noqa: E731
                                                     measures=d["measures"], kind=d["kind"])
        elif action == "rectify" and rectify is not None:
            form = rectify = RectifyForm(request.POST, request.FILES)
            write = lambda d: services.rectify(by=by, hazard=hazard, note=d["note"],  # noqa: E731
                                               photos=[d["photo"]] if d["photo"] else [])
        elif action == "reinspect" and reinspect is not None:
            form = reinspect = ReinspectForm(request.POST)
            write = lambda d: services.reinspect(by=by, hazard=hazard, passed=d["passed"], note=d["note"])  # noqa: E731
        else:
            raise PermissionDenied
        if form.is_valid() and save(form, lambda: write(form.cleaned_data)):
            messages.success(request, _("Saved."))
            return redirect("safety:hazard", hazard.pk)
    return render(request, "safety/hazard_detail.html", {
        "hazard": hazard, "photos": photos_of(hazard), "edit": edit, "rectify": rectify, "reinspect": reinspect,
        "may_notice": rules.may_handle_hazard(user, hazard) and hazard.state != HazardState.CLOSED,
        "overdue": hazard.state == HazardState.OPEN and hazard.deadline < timezone.now(),
        "whistles": selectors.whistles_about(user, hazard=hazard),
        "whistle_url": f"{reverse('safety:whistle_new')}?hazard={hazard.pk}"
        if rules.may_handle_hazard(user, hazard) and hazard.state != HazardState.CLOSED else "",
        "request_url": request_url(hazard.request_id, request.user),
    }, status=400 if request.method == "POST" else 200)


@require_POST
@require_perm(P.HANDLE)
def hazard_notice(request, pk: int):
    hazard = get_object_or_404(selectors.hazards_for(request.user), pk=pk)
    try:
        n = services.send_risk_notice(by=Actor.from_request(request), hazard=hazard)
    except (ValidationError, PermissionDenied) as exc:
        messages_from(request, exc)
    else:
        messages.success(request, _("The risk notice went to %(n)s residents.") % {"n": n})
    return redirect("safety:hazard", hazard.pk)


@require_perm(P.VIEW)
def hazard_pdf(request, pk: int):
    hazard = get_object_or_404(selectors.hazards_for(request.user), pk=pk)
    url = request.build_absolute_uri(reverse("safety:notices"))
    return pdf_response("safety/pdf/risk_notice.html", {"hazard": hazard, "qr": qr_svg(url), "url": url,
                                                        "community": hazard.community},
                        filename=f"风险提示-{hazard.pk}.pdf", request=request)


# ---------------------------------------------------------------- phone pages
@login_required
def hazard_phone(request, pk: int):
    """The worker in the courtyard: see the hazard, report it rectified, or re-inspect it."""
    hazard = get_object_or_404(Hazard.objects.select_related("place", "owner"), pk=pk)
    user = request.user
    if not (hazard.owner_id == user.pk or selectors.hazards_for(user).filter(pk=pk).exists()):
        raise PermissionDenied
    rectify = RectifyForm(request.POST or None, request.FILES or None, prefix="r") if rules.may_rectify(user, hazard) \
        else None
    reinspect = ReinspectForm(request.POST or None, prefix="i") if rules.may_reinspect(user, hazard) else None
    if request.method == "POST":
        by = Actor.from_request(request)
        if "r-note" in request.POST and rectify is not None and rectify.is_valid():
            d = rectify.cleaned_data
            if save(rectify, lambda: services.rectify(by=by, hazard=hazard, note=d["note"],
                                                      photos=[d["photo"]] if d["photo"] else [])):
                messages.success(request, _("Reported rectified. Someone else will re-inspect it."))
                return redirect("safety:hazard_phone", pk)
        elif "i-passed" in request.POST and reinspect is not None and reinspect.is_valid():
            d = reinspect.cleaned_data
            if save(reinspect, lambda: services.reinspect(by=by, hazard=hazard, passed=d["passed"], note=d["note"])):
                messages.success(request, _("Re-inspection recorded."))
                return redirect("safety:hazard_phone", pk)
    return render(request, "safety/hazard_phone.html", {"hazard": hazard, "photos": photos_of(hazard),
                                                        "rectify": rectify, "reinspect": reinspect})


def _resident_places(person):
    if person is None:
        return Place.objects.none()
    if person.home_id:
        building = person.home.entrance.parent if person.home.entrance_id else None
        if building is not None and building.courtyard_id:
            return Place.objects.filter(Q(courtyard_id=building.courtyard_id) | Q(parent__courtyard_id=building.courtyard_id),
                                        kind__in=(PlaceKind.BUILDING, PlaceKind.ENTRANCE)).select_related("parent")
    return Place.objects.filter(pk=person.community_id).select_related("parent")


@login_required
def report(request):
    person = getattr(request.user, "person", None)
    if person is None:
        messages.error(request, _("Your account is not linked to a community yet. Scan the QR code on your building."))
        return redirect("web:home")
    places = _resident_places(person).order_by("path")
    initial = {"place": person.home.entrance_id} if person.home_id else {}
    form = ResidentHazardForm(request.POST or None, request.FILES or None, places=places, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        saved = save(form, lambda: services.report_hazard(
            by=Actor.from_request(request), place=d["place"], title=d["title"], description=d["description"],
            source=HazardSource.RESIDENT, photos=[d["photo"]] if d["photo"] else []))
        if saved:
            messages.success(request, _("Thank you. The grid worker will look at it."))
            return redirect("safety:my_hazards")
    return render(request, "safety/report.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def my_hazards(request):
    return render(request, "safety/my_hazards.html", {"rows": selectors.my_reported_hazards(request.user)[:100]})


@login_required
def notices(request):
    return render(request, "safety/notices.html", {"rows": selectors.notices_for(request.user)[:50]})


@require_perm(P.VIEW)
def assessment(request):
    """季度风险评估 per unit: this quarter, or the one before (?q=previous)."""
    today = timezone.localdate()
    start, end = selectors.quarter_of(today)
    previous = request.GET.get("q") == "previous"
    if previous:
        start, end = selectors.quarter_of(start - dt.timedelta(days=1))
    rows = selectors.risk_assessment(request.user, start, end)
    for r in rows:
        r["closed_text"] = pct(r["closed_rate"])
        r["level_label"] = Grade(r["level"]).label
    return render(request, "safety/assessment.html", {"rows": rows, "start": start, "end": end, "previous": previous})
