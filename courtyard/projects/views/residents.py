"""Resident pages (WeUI shell, phone first): open surveys, consent for my household, plan opinions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from courtyard.core import hooks
from courtyard.core.audit import Actor

from .. import forms, rules, services
from ..choices import ConsentChannel, PlanState, ProjectStatus, SurveyState
from ..models import Concern, Consent, ConsentCampaign, Opinion, PlanVersion, Project, Response, Survey
from ..results import public_reports
from .plans import drawings


def _errors_to_form(form, exc):
    for m in getattr(exc, "messages", None) or [str(exc)]:
        form.add_error(None, m)


@login_required
def hub(request):
    units = rules.resident_unit_ids(request.user)
    surveys = list(Survey.objects.filter(unit_id__in=units, state=SurveyState.OPEN).order_by("-opened_at", "-pk")[:20])
    campaigns = list(ConsentCampaign.objects.filter(unit_id__in=units, is_open=True).order_by("-pk")[:20])
    plans = list(PlanVersion.objects.filter(project__unit_id__in=units, state__in=[PlanState.PUBLISHED,
                                                                                   PlanState.APPROVED])
                 .select_related("project").order_by("-published_at", "-pk")[:20])
    works = list(Project.objects.filter(unit_id__in=units, status=ProjectStatus.WORKS).order_by("pk")[:20])
    return render(request, "projects/resident_hub.html", {"surveys": surveys, "campaigns": campaigns,
                                                          "plans": plans, "works": works, "has_unit": bool(units)})


@login_required
def survey(request, pk: int):
    s = get_object_or_404(Survey.objects.exclude(state=SurveyState.DRAFT), pk=pk)
    if s.unit_id not in rules.resident_unit_ids(request.user):
        raise Http404
    person = request.user.person
    mine = Response.objects.filter(survey=s, person=person).first() if person else None
    questions = list(s.questions.all())
    form = None
    if mine is None and s.state == SurveyState.OPEN:
        form = forms.ResidentAnswerForm(request.POST or None, questions=questions)
        if request.method == "POST" and form.is_valid():
            try:
                services.submit_response(by=Actor.from_request(request), survey=s,
                                         answers=forms.answers_from(form, questions))
            except (ValidationError, PermissionDenied) as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, _("Thank you: your answers are recorded."))
                return redirect("projects:resident_survey", pk=s.pk)
    return render(request, "projects/resident_survey.html", {"survey": s, "form": form, "mine": mine},
                  status=400 if form is not None and form.errors else 200)


@login_required
def campaign(request, pk: int):
    c = get_object_or_404(ConsentCampaign.objects.select_related("project"), pk=pk)
    homes = list(rules.resident_dwellings(request.user).filter(unit_id=c.unit_id).select_related(
        "courtyard", "building", "entrance").order_by("pk"))
    if not homes:
        raise Http404
    dwelling = homes[0]
    if len(homes) > 1 and request.GET.get("d"):
        dwelling = next((d for d in homes if str(d.pk) == request.GET["d"]), dwelling)
    current = Consent.objects.filter(campaign=c, dwelling=dwelling).first()
    form = forms.ResidentConsentForm(request.POST or None, initial={"answer": current.answer if current else None}) \
        if c.is_open else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.record_consent(by=Actor.from_request(request), campaign=c, dwelling=dwelling,
                                    answer=form.cleaned_data["answer"], channel=ConsentChannel.ONLINE)
        except (ValidationError, PermissionDenied) as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Thank you: your household's answer is recorded."))
            return redirect(f"{request.path}?d={dwelling.pk}")
    return render(request, "projects/resident_campaign.html", {"campaign": c, "form": form, "current": current,
                                                               "dwelling": dwelling, "homes": homes})


@login_required
def plan(request, pk: int):
    pl = get_object_or_404(PlanVersion.objects.select_related("project").exclude(state=PlanState.DRAFT), pk=pk)
    if pl.project.unit_id not in rules.resident_unit_ids(request.user):
        raise Http404
    form = forms.OpinionForm(request.POST or None) if pl.state == PlanState.PUBLISHED else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.give_opinion(by=Actor.from_request(request), plan=pl, text=form.cleaned_data["text"])
        except (ValidationError, PermissionDenied) as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Thank you: the expert panel will answer your opinion."))
            return redirect("projects:resident_plan", pk=pl.pk)
    mine = list(Opinion.objects.filter(plan=pl, author=request.user).order_by("pk"))
    disposed = list(Opinion.objects.filter(plan=pl).exclude(disposition="").order_by("pk")[:200])
    return render(request, "projects/resident_plan.html", {"plan": pl, "form": form, "mine": mine,
                                                           "disposed": disposed, "drawings": drawings(pl)})


@login_required
def works(request, pk: int):
    """A project under construction: raise a concern (the contractor answers within 24 hours), follow
    mine, read the published test reports."""
    project = get_object_or_404(Project.objects.filter(status=ProjectStatus.WORKS), pk=pk)
    if project.unit_id not in rules.resident_unit_ids(request.user):
        raise Http404
    form = forms.ConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.raise_concern(by=Actor.from_request(request), project=project, text=form.cleaned_data["text"])
        except (ValidationError, PermissionDenied) as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Sent to the contractor, who answers within 24 hours."))
            return redirect("projects:resident_works", pk=project.pk)
    mine = list(Concern.objects.filter(project=project, raised_by=request.user)[:10])
    states = hooks.ask("servicedesk.request_states", {}, ids=[c.request_id for c in mine]) if mine else {}
    return render(request, "projects/resident_works.html", {
        "project": project, "form": form, "reports": public_reports([project]).get(project.pk, []),
        "mine": [{"c": c, "r": states.get(c.request_id)} for c in mine]}, status=400 if form.errors else 200)
