"""Console pages of needs surveys (PRJ-1): questionnaire, results with cross-tabs and charts, xlsx
export, and keying in paper or interview answers on a resident's behalf."""

from __future__ import annotations

import django_filters as df
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courtyard.core.audit import Actor
from courtyard.core.console import Column, ListPage, form_page, messages_from, save, service_form
from courtyard.core.permissions import require_perm
from courtyard.core.xlsx import xlsx_response
from courtyard.org.models import Person, SelfGovernanceUnit

from .. import forms, selectors, services
from .. import permissions as p
from ..choices import SurveyState
from ..models import Survey
from ._common import managed_units
from .library import UnitFilterSet


def _crumbs(*extra):
    return [{"label": _("Needs surveys"), "url": reverse("projects:surveys")}, *extra]


class SurveyFilter(UnitFilterSet):
    unit = df.ModelChoiceFilter(label=gettext_lazy("Self-governance unit"), queryset=SelfGovernanceUnit.objects.none())
    state = df.ChoiceFilter(label=gettext_lazy("State"), choices=SurveyState.choices)

    class Meta:
        model = Survey
        fields = ["unit", "state"]


class SurveyList(ListPage):
    title = gettext_lazy("Needs surveys")
    permission = p.VIEW
    filterset_class = SurveyFilter
    template = "projects/console_surveys.html"
    ordering = ("-created_at", "-pk")
    columns = [
        Column("title", gettext_lazy("Survey"), link=lambda s: s.get_console_url()),
        Column("unit", gettext_lazy("Unit"), value="unit.name"),
        Column("per", gettext_lazy("Who answers")),
        Column("state", gettext_lazy("State")),
        Column("n", gettext_lazy("Responses"), value=lambda s: s.n, numeric=True),
    ]

    def get_queryset(self, user):
        from django.db.models import Count

        return Survey.objects.visible_to(user).select_related("unit").annotate(n=Count("responses"))

    def extra_context(self, request):
        return {"can_manage": request.user.has_perm(p.MANAGE)}


@require_perm(p.MANAGE)
def survey_new(request):
    form = forms.SurveyForm(request.POST or None, units=managed_units(request.user))
    return service_form(
        request, form, title=_("New needs survey"), back_url=reverse("projects:surveys"), crumbs=_crumbs(),
        write=lambda d: services.create_survey(by=Actor.from_request(request), **d),
        success=_("The survey is created; add its questions."), next=lambda s: s.get_console_url())


def _survey(request, pk):
    return get_object_or_404(Survey.objects.visible_to(request.user).select_related("unit", "community"), pk=pk)


@require_perm(p.VIEW)
def survey_detail(request, pk: int):
    survey = _survey(request, pk)
    user = request.user
    can_manage = user.has_perm(p.MANAGE, survey)
    qform = forms.QuestionForm(request.POST or None, prefix="q") if can_manage and survey.state == SurveyState.DRAFT \
        else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        action = request.POST.get("action")
        by = Actor.from_request(request)
        try:
            if action == "question" and qform is not None:
                if qform.is_valid() and save(qform, lambda: services.add_question(by=by, survey=survey,
                                                                                  **qform.cleaned_data)):
                    messages.success(request, _("Question added."))
                    return redirect(survey.get_console_url())
            elif action in (SurveyState.OPEN, SurveyState.CLOSED):
                services.set_state(by=by, survey=survey, state=action)
                messages.success(request, _("The survey is open for answers.") if action == SurveyState.OPEN
                                 else _("The survey is closed."))
                return redirect(survey.get_console_url())
            else:
                raise PermissionDenied
        except (ValidationError, PermissionDenied) as exc:
            messages_from(request, exc)
    dimension = request.GET.get("by", "")
    if dimension not in selectors.DIMENSIONS:
        dimension = ""
    total, results = selectors.survey_results(survey, dimension)
    return render(request, "projects/console_survey.html", {
        "survey": survey, "can_manage": can_manage, "qform": qform, "questions": list(survey.questions.all()),
        "total": total, "results": results, "dimension": dimension, "dimensions": selectors.dimension_choices(),
        "charts": selectors.chart_data(results), "can_collect": user.has_perm(p.COLLECT, survey),
        "breadcrumbs": _crumbs({"label": survey.title})}, status=400 if qform is not None and qform.errors else 200)


@require_perm(p.VIEW)
def survey_export(request, pk: int):
    survey = _survey(request, pk)
    dimension = request.GET.get("by", "")
    if dimension not in selectors.DIMENSIONS:
        dimension = ""
    total, results = selectors.survey_results(survey, dimension)
    headers = [_("Question"), _("Row"), _("Option"), _("Count"), _("Share (%)"), _("Answered")]
    rows = []
    for r in results:
        q = f"{r.question.position}. {r.question.text}"
        for o in r.options:
            rows.append([q, r.row_label, o.label, o.count, o.percent, r.answered])
        if r.top2 is not None:
            rows.append([q, r.row_label, r.top2.label, r.top2.count, r.top2.percent, r.answered])
        for g in r.groups:
            for o, cell in zip(r.options, g["cells"], strict=True):
                rows.append([q, r.row_label, f"{g['label']} · {o.label}", "", cell, g["answered"]])
        for t in r.texts:
            rows.append([q, "", t, "", "", ""])
    rows.append([_("Responses"), "", "", total, "", ""])
    return xlsx_response(f"survey-{survey.pk}.xlsx", survey.title[:31], headers, rows)


@require_perm(p.COLLECT)
def survey_entry(request, pk: int):
    survey = _survey(request, pk)
    if not request.user.has_perm(p.COLLECT, survey):
        raise PermissionDenied
    questions = list(survey.questions.all())
    people = Person.objects.visible_to(request.user).filter(unit_id=survey.unit_id, active=True).order_by("name", "pk")
    form = forms.EntryForm(request.POST or None, people=people, questions=questions)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if save(form, lambda: services.submit_response(
                by=Actor.from_request(request), survey=survey, answers=forms.answers_from(form, questions),
                channel=d["channel"], person=d["person"])):
            messages.success(request, _("The answers are recorded on the resident's behalf."))
            return redirect(reverse("projects:survey_entry", args=[survey.pk]))
    return form_page(request, form, title=_("Key in answers"), back_url=survey.get_console_url(),
                     crumbs=_crumbs({"label": survey.title, "url": survey.get_console_url()}),
                     intro=_("For a paper questionnaire or an interview: the answers are recorded on the "
                             "resident's behalf and the audit trail says so."), submit=_("Record answers"))
