"""Reads of the projects app, given the acting user (or a unit, for the public page)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courtyard.core.indicators import percent_str
from courtyard.org.choices import ResidenceStatus
from courtyard.org.models import Dwelling, Place, SelfGovernanceUnit

from . import tally
from .choices import AgeBand, Category, PlanState, QuestionKind, Source, Tenure
from .models import Answer, ConsensusItem, Consent, Opinion, PlanVersion, Project, Question, Suggestion


def units_for(user):
    return SelfGovernanceUnit.objects.visible_to(user).select_related("community")


# ---------------------------------------------------------------- funnel (PRJ-2)
@dataclass
class Funnel:
    unit: SelfGovernanceUnit
    suggestions: int
    consensus: int
    projects: int
    by_source: list[tuple[str, int]]
    by_category: list[tuple[str, int]]
    merged: int = 0
    steps: list[dict] = field(default_factory=list)


def funnel(unit) -> Funnel:
    s = Suggestion.objects.filter(unit=unit).aggregate(n=Count("pk"), merged=Count("pk", filter=Q(consensus__isnull=False)))
    sources = dict(Suggestion.objects.filter(unit=unit).values_list("source").annotate(n=Count("pk")))
    consensus = ConsensusItem.objects.filter(unit=unit).count()
    cats = dict(Project.objects.filter(unit=unit).values_list("category").annotate(n=Count("pk")))
    projects = sum(cats.values())
    f = Funnel(unit, s["n"], consensus, projects,
               [(Source(k).label, sources.get(k, 0)) for k in Source.values],
               [(Category(k).label, cats.get(k, 0)) for k in Category.values], merged=s["merged"])
    top = max(f.suggestions, 1)
    f.steps = [{"label": _("Suggestions collected"), "n": f.suggestions, "width": 100},
               {"label": _("Consensus items"), "n": f.consensus, "width": max(8, f.consensus * 100 // top)},
               {"label": _("Key projects"), "n": f.projects, "width": max(8, f.projects * 100 // top)}]
    return f


# ---------------------------------------------------------------- survey results (PRJ-1)
DIMENSIONS = {
    "age_band": (gettext_lazy("Age band"), AgeBand),
    "residence_status": (gettext_lazy("Residence status"), ResidenceStatus),
    "building": (gettext_lazy("Building"), None),
    "tenure": (gettext_lazy("Owner or tenant"), Tenure),
}


def dimension_choices():
    return [("", _("No cross-tab"))] + [(k, v[0]) for k, v in DIMENSIONS.items()]


@dataclass
class OptionResult:
    label: str
    count: int
    share: Fraction | None

    @property
    def percent(self) -> str:
        return percent_str(self.share)


@dataclass
class QuestionResult:
    question: Question
    row_label: str
    answered: int
    options: list[OptionResult]
    groups: list[dict]
    texts: list[str]
    top2: OptionResult | None = None


def _group_label(dim: str, key: str, buildings: dict[int, str]) -> str:
    if dim == "building":
        return buildings.get(int(key), _("No building")) if key else _("No building")
    choices = DIMENSIONS[dim][1]
    try:
        return str(choices(key).label)
    except ValueError:
        return _("Not known")


def _group_order(dim: str, key: str, buildings: dict[int, str]):
    choices = DIMENSIONS[dim][1]
    if choices is None:
        from courtyard.core.console import natural_key

        return (0, natural_key(buildings.get(int(key), "")) if key else "")
    values = list(choices.values)
    return (values.index(key) if key in values else len(values), key)


def survey_results(survey, dimension: str = "") -> tuple[int, list[QuestionResult]]:
    """Every question's option counts and exact shares (of those who answered it), optionally cross-tabbed."""
    questions = list(survey.questions.all())
    responses = {r["pk"]: r for r in survey.responses.values("pk", "age_band", "residence_status", "building_id",
                                                             "tenure")}
    buildings = dict(Place.objects.filter(pk__in={r["building_id"] for r in responses.values() if r["building_id"]})
                     .values_list("pk", "name"))
    by_q: dict[tuple[int, int], list[tally.Row]] = {}
    texts: dict[int, list[str]] = {}
    for a in Answer.objects.filter(response__survey=survey).values("response_id", "question_id", "row", "choices",
                                                                    "text").order_by("pk"):
        if a["text"]:
            texts.setdefault(a["question_id"], []).append(a["text"])
            continue
        r = responses[a["response_id"]]
        groups = {"age_band": r["age_band"], "residence_status": r["residence_status"],
                  "building": str(r["building_id"] or ""), "tenure": r["tenure"]}
        by_q.setdefault((a["question_id"], a["row"]), []).append(tally.Row(tuple(a["choices"]), groups))
    out = []
    for q in questions:
        rows = q.rows if q.kind == QuestionKind.MATRIX else [""]
        for i, row_label in enumerate(rows):
            data = by_q.get((q.pk, i), [])
            counts, answered = tally.option_counts(data, len(q.options))
            options = [OptionResult(label, n, tally.share(n, answered)) for label, n in zip(q.options, counts,
                                                                                              strict=True)]
            groups = []
            if dimension in DIMENSIONS and data:
                table = tally.crosstab(data, len(q.options), dimension)
                for key in sorted(table, key=lambda k: _group_order(dimension, k, buildings)):
                    g_counts, g_answered = table[key]
                    groups.append({"label": _group_label(dimension, key, buildings), "answered": g_answered,
                                   "cells": [percent_str(tally.share(n, g_answered)) for n in g_counts]})
            top2 = None
            if q.kind in (QuestionKind.SCALE, QuestionKind.MATRIX):
                n = tally.top_box(counts)
                top2 = OptionResult(_("Top two points"), n, tally.share(n, answered))
            out.append(QuestionResult(q, row_label, answered, options, groups, texts.get(q.pk, [])[:200], top2))
    return len(responses), out


def chart_data(results: list[QuestionResult]) -> list[dict]:
    """What the survey charts draw (JSON for static/projects/survey_charts.js): shares in tenths of a percent."""
    return [{"id": f"chart-{r.question.pk}-{i}", "title": f"{r.question.position}. {r.question.text}"
             + (f" · {r.row_label}" if r.row_label else ""),
             "labels": [o.label for o in r.options], "values": [o.percent for o in r.options]}
            for i, r in enumerate(results) if r.options and r.answered]


# ---------------------------------------------------------------- consent (DLB-10)
def households(campaign) -> list[tally.Household]:
    answers = dict(Consent.objects.filter(campaign=campaign).values_list("dwelling_id", "answer"))
    out = []
    for d in (Dwelling.objects.filter(unit_id=campaign.unit_id).select_related("building", "entrance")
              .order_by("building__name", "entrance__name", "number")):
        area = int((d.area_m2 or 0) * 100)
        out.append(tally.Household(d.pk, f"{d.courtyard_id}|{d.building.name}", area, answers.get(d.pk, "")))
    return out


def consent_summary(campaign) -> dict:
    hh = households(campaign)
    rates = tally.consent_rates(hh)
    target = Fraction(campaign.target_percent, 100)
    visit = tally.to_visit(hh)
    labels = {d.pk: d for d in Dwelling.objects.filter(pk__in=[i for ids in visit.values() for i in ids])
              .select_related("courtyard", "building", "entrance")}
    areas = Counter()
    for h in hh:
        areas[h.building] += 1
    return {
        "rates": rates, "target": target, "meets": rates.meets(target),
        "by_households": percent_str(rates.by_households, 0),
        "by_households_exact": percent_str(rates.by_households),
        "by_area": percent_str(rates.by_area, 0), "by_area_exact": percent_str(rates.by_area),
        "to_visit": [{"building": f"{labels[ids[0]].courtyard.name} {labels[ids[0]].building.name}",
                      "total": areas[b], "dwellings": [labels[i] for i in ids]} for b, ids in visit.items()],
    }


# ---------------------------------------------------------------- illegal structures (PRJ-7)
def structure_summary(unit) -> dict:
    from .models import IllegalStructure

    c = IllegalStructure.objects.filter(unit=unit).aggregate(
        n=Count("pk"), removed=Count("pk", filter=Q(status="removed")),
        self_removed=Count("pk", filter=Q(status="removed", self_removed=True)))
    return {"total": c["n"], "removed": c["removed"], "self_removed": c["self_removed"],
            "removed_percent": percent_str(tally.share(c["removed"], c["n"]), 0),
            "self_percent": percent_str(tally.share(c["self_removed"], c["n"]), 0)}


# ---------------------------------------------------------------- public page (PRJ-2, PRJ-3)
def public_projects(unit) -> dict:
    """The unit's project library and adopted plans with their disposition lists: no personal data."""
    projects = list(Project.objects.filter(unit=unit).order_by("category", "pk"))
    plans = list(PlanVersion.objects.filter(project__unit=unit, state=PlanState.APPROVED).select_related("project")
                 .order_by("project_id", "-number"))
    opinions: dict[int, list[Opinion]] = {}
    for op in Opinion.objects.filter(plan__in=plans).exclude(disposition="").order_by("pk"):
        opinions.setdefault(op.plan_id, []).append(op)
    from .results import public_reports, public_results

    reports = public_reports(projects)
    return {"funnel": funnel(unit), "projects": projects, "structures": structure_summary(unit),
            "results": public_results(unit),
            "reports": [{"project": pr, "reports": reports[pr.pk]} for pr in projects if pr.pk in reports],
            "plans": [{"plan": pl, "opinions": opinions.get(pl.pk, [])} for pl in plans]}
