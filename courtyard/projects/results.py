"""Reads of the results board (PRJ-9): before/after indicators with their exact change, and the
post-project evaluation's three ratios (goal attainment, satisfaction, resource efficiency), for the
console and the unit's public page. Exact fractions, shown half up by `percent_str`."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from courtyard.core.indicators import percent_str, ratio

from .models import Evaluation, Project, ResultIndicator
from .money import yuan


def _num(d: Decimal) -> str:
    text = format(d.normalize(), "f") if d == d.to_integral() else format(d, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def change_text(before: Decimal, after: Decimal) -> tuple[str, str]:
    """(the change with its sign, the relative change in % or "—" when there was nothing before)."""
    diff = after - before
    sign = "+" if diff > 0 else ""
    rel = "—"
    if before > 0:
        value = Fraction(diff) / Fraction(before)
        rel = ("+" if value > 0 else "-" if value < 0 else "") + percent_str(abs(value)) + " %"
    return sign + _num(diff), rel


def indicator_rows(indicators) -> list[dict]:
    out = []
    for r in indicators:
        change, rel = change_text(r.before, r.after)
        out.append({"r": r, "label": r.get_kind_display(), "before": _num(r.before), "after": _num(r.after),
                    "change": change, "relative": rel})
    return out


def evaluation_view(ev: Evaluation, budget_fen: int) -> dict:
    return {"ev": ev,
            "goals": percent_str(ratio(ev.goals_met, ev.goals_set)),
            "satisfaction": percent_str(ratio(ev.satisfied, ev.surveyed)),
            # Resource efficiency: what was spent against the budget (100 % = on budget, less is better).
            "efficiency": percent_str(ratio(ev.spent_fen, budget_fen)), "spent": yuan(ev.spent_fen),
            "budget": yuan(budget_fen)}


def public_results(unit) -> list[dict]:
    """Projects of the unit whose evaluation is published: what was done, what it cost, what residents said."""
    evaluations = list(Evaluation.objects.filter(project__unit=unit, published_at__isnull=False)
                       .select_related("project").order_by("-published_at", "pk"))
    if not evaluations:
        return []
    by_project: dict[int, list[ResultIndicator]] = {}
    for r in ResultIndicator.objects.filter(project__in=[e.project_id for e in evaluations]).order_by("kind"):
        by_project.setdefault(r.project_id, []).append(r)
    return [{"project": e.project, **evaluation_view(e, e.project.budget_fen),
             "indicators": indicator_rows(by_project.get(e.project_id, []))} for e in evaluations]


def project_results(project: Project) -> dict:
    ev = Evaluation.objects.filter(project=project).first()
    return {"indicators": indicator_rows(project.results.all()),
            "evaluation": evaluation_view(ev, project.budget_fen) if ev else None}


def public_reports(projects) -> dict[int, list[dict]]:
    """Published third-party test reports per project, each with its file (served to anyone)."""
    from django.contrib.contenttypes.models import ContentType

    from courtyard.core.models import Attachment

    from .models import TestReport

    reports = list(TestReport.objects.filter(project__in=projects, published_at__isnull=False))
    files: dict[str, object] = {}
    if reports:
        for a in Attachment.objects.filter(owner_type=ContentType.objects.get_for_model(TestReport),
                                           owner_id__in=[str(r.pk) for r in reports]).order_by("pk"):
            files.setdefault(a.owner_id, a)
    out: dict[int, list[dict]] = {}
    for r in reports:
        out.setdefault(r.project_id, []).append({"r": r, "file": files.get(str(r.pk))})
    return out
