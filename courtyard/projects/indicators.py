"""Renovation projects' indicators (INS-1): the consent rate of household consent campaigns (DLB-10)
and residents' satisfaction score (0–100) from the satisfaction scales of the surveys, and the acts that count a household as taking part — answering a needs survey, giving consent,
commenting on a plan. See courtyard/core/indicators.py and docs/insight.md."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction as F

from django.db.models import Count, IntegerField, Q, Sum
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtyard.core.indicators import STOCK, Act, Indicator, Period, Scope, Targets, Thresholds
from courtyard.org.models import Dwelling, Person

from .choices import SCALE_POINTS, ConsentAnswer, QuestionKind, ResponseChannel, SurveyPer, SurveyState
from .models import Answer, Consent, ConsentCampaign, Opinion, Question, Response, Survey

# The satisfaction score (ADR 0033): a 5-point satisfaction scale read on 100 points, evenly spaced
# from its bottom label to its top one — 很不满意 0, 不太满意 25, 一般 50, 比较满意 75, 非常满意 100.
POINT_SCORE = 100 // (SCALE_POINTS - 1)
SATISFIED = ("满意", "satisf")  # the top label of a satisfaction scale says "satisfied"…
DISSATISFIED = ("不满意", "dissatisf", "unsatisf")  # …and not "dissatisfied" (a scale written upside down)


def consent_rate(scope: Scope, period: Period) -> tuple[int, int]:
    """Σ households that agreed ÷ Σ households asked, over the consent campaigns of the scope that
    had started by the end of the period (consents recorded before its end). A campaign asks every
    dwelling of its unit, the same count its own page shows."""
    _start, end = period.bounds()
    campaigns = list(ConsentCampaign.objects.filter(created_at__lt=end, **scope.lookup("community__path"))
                     .values_list("pk", "unit_id"))
    if not campaigns:
        return 0, 0
    sizes = dict(Dwelling.objects.filter(unit_id__in={u for _pk, u in campaigns}).values("unit_id")
                 .annotate(n=Count("pk")).values_list("unit_id", "n"))
    asked = sum(sizes.get(unit_id, 0) for _pk, unit_id in campaigns)
    agreed = Consent.objects.filter(campaign_id__in=[pk for pk, _u in campaigns], answer=ConsentAnswer.YES,
                                    recorded_at__lt=end).count()
    return agreed, asked


def satisfaction_scale(prefix: str = "") -> Q:
    """Satisfaction questions: 5-point scale or matrix questions whose top label (the fifth) says
    satisfied — 非常满意, 满意, very satisfied."""
    top = f"{prefix}options__{SCALE_POINTS - 1}__icontains"
    says = Q()
    for word in SATISFIED:
        says |= Q(**{top: word})
    for word in DISSATISFIED:
        says &= ~Q(**{top: word})
    return Q(**{f"{prefix}kind__in": (QuestionKind.SCALE, QuestionKind.MATRIX)}) & says


def satisfaction(scope: Scope, period: Period) -> tuple[int, int]:
    """Residents' satisfaction on 100 points: Σ scores ÷ answers, over every answer (a matrix: every
    row) to a satisfaction scale in the survey responses recorded in the period; a point scores
    POINT_SCORE × its place on the scale (0–4)."""
    start, end = period.bounds()
    answers = (Answer.objects.filter(satisfaction_scale("question__"), response__created_at__gte=start,
                                     response__created_at__lt=end,
                                     **scope.lookup("response__survey__community__path", "response__survey__unit_id"))
               .exclude(choices=[]))
    got = answers.aggregate(points=Sum(Cast(KeyTextTransform("0", "choices"), IntegerField())), n=Count("pk"))
    return POINT_SCORE * (got["points"] or 0), got["n"]


def _people_or_homes(rows, person_field: str, dwelling_field: str):
    """Person ids from rows that name a person, or the residents of the dwelling a row names."""
    named = rows.filter(**{f"{person_field}__isnull": False}).values(person_field)
    homes = rows.filter(**{f"{person_field}__isnull": True, f"{dwelling_field}__isnull": False}).values(dwelling_field)
    return Person.objects.filter(Q(pk__in=named) | Q(home_id__in=homes)).values("pk")


def survey_respondents(scope: Scope, period: Period):
    start, end = period.bounds()
    rows = Response.objects.filter(created_at__gte=start, created_at__lt=end,
                                   **scope.lookup("survey__community__path", "survey__unit_id"))
    return _people_or_homes(rows, "person", "dwelling")


def consenters(scope: Scope, period: Period):
    start, end = period.bounds()
    rows = Consent.objects.filter(recorded_at__gte=start, recorded_at__lt=end,
                                  **scope.lookup("campaign__community__path", "campaign__unit_id"))
    return _people_or_homes(rows, "person", "dwelling")


def plan_commenters(scope: Scope, period: Period):
    start, end = period.bounds()
    return Opinion.objects.filter(created_at__gte=start, created_at__lt=end, author__person__isnull=False,
                                  **scope.lookup("plan__project__community__path", "plan__project__unit_id")
                                  ).values("author__person_id")


INDICATORS = [
    Indicator(
        code="consent_rate", app="projects", label=_("Consent rate"),
        formula=_("households that agreed ÷ households asked"),
        numerator=_("households that agreed in a household consent campaign, recorded by the end of the period"),
        denominator=_("households asked: every dwelling of the units with a consent campaign"),
        source=_("Renovation projects: household consent campaigns"), compute=consent_rate, period=STOCK,
        targets=Targets(F(90, 100), F(95, 100), F(98, 100)), thresholds=Thresholds(F(90, 100), F(80, 100)),
        references="000 abstract, §4.2.1",
    ),
    Indicator(
        code="satisfaction", app="projects", label=_("Satisfaction score"),
        formula=_("Σ scores ÷ answers, on 100 points (very dissatisfied 0, fairly dissatisfied 25, neutral 50, "
                  "fairly satisfied 75, very satisfied 100)"),
        numerator=_("the scores of the answers on satisfaction scales in the survey responses recorded in the period "
                    "(a satisfaction scale: a 5-point scale or matrix question whose top label says satisfied)"),
        denominator=_("those answers (each row of a matrix question is one answer)"),
        source=_("Renovation projects: survey responses"), compute=satisfaction, score=True,
        targets=Targets(F(75), F(90), F(90)), thresholds=Thresholds(F(75), F(60)),
        references="003 §3.2, §3.3, §3.4, §8.1, §8.2, §9.1",
    ),
]

# The demo's quarterly satisfaction surveys (insight's demo writes them before its snapshots; relative
# dates): 25 residents of each unit answer "overall, how satisfied are you with the courtyard's
# self-governance?" in the first month of each quarter of the last twelve complete months. How many
# chose 非常满意 (4), 比较满意 (3) and 一般 (2): 学道苑 80 → 84 → 88 → 92 (yellow, yellow, yellow, green
# against the final target of 90); every other unit 92 throughout.
SATISFACTION_DEMO = {"xuedaoyuan": ((10, 10, 5), (12, 10, 3), (14, 10, 1), (17, 8, 0))}
SATISFACTION_DEMO_OTHERS = (17, 8, 0)
SATISFIED_LABELS = ["很不满意", "不太满意", "一般", "比较满意", "非常满意"]


def demo_history(info: dict) -> int:
    """Four quarterly satisfaction surveys per demo unit (above). Returns the answers written."""
    months = Period.containing(timezone.localdate()).back(13)[:-1]
    written = 0
    for slug, unit in sorted(info["units"].items()):
        people = list(Person.objects.filter(unit=unit, home__isnull=False, active=True).order_by("pk")[:25])
        if len(people) < 25:
            continue
        for q, counts in enumerate(SATISFACTION_DEMO.get(slug, (SATISFACTION_DEMO_OTHERS,) * 4)):
            at = months[3 * q].bounds()[0] + dt.timedelta(days=5, hours=10)
            survey = Survey.objects.create(unit=unit, community_id=unit.community_id, state=SurveyState.CLOSED,
                                           title=f"院落自治工作满意度测评（{months[3 * q].key}）",
                                           per=SurveyPer.RESIDENT, created_at=at, opened_at=at,
                                           closed_at=at + dt.timedelta(days=10))
            question = Question.objects.create(survey=survey, position=1, kind=QuestionKind.SCALE,
                                               text="您对院落自治工作的总体满意程度", options=SATISFIED_LABELS)
            points = [4] * counts[0] + [3] * counts[1] + [2] * counts[2]
            responses = Response.objects.bulk_create([
                Response(survey=survey, respondent_key=f"p{p.pk}", person=p, dwelling_id=p.home_id,
                         channel=ResponseChannel.PAPER, created_at=at + dt.timedelta(days=i % 7))
                for i, p in enumerate(people[:len(points)])])
            Answer.objects.bulk_create([Answer(response=r, question=question, choices=[point])
                                        for r, point in zip(responses, points, strict=True)])
            written += len(points)
    return written


ACTS = [
    Act("survey", _("answered a needs survey"), survey_respondents),
    Act("consent", _("gave consent in a campaign"), consenters),
    Act("plan_opinion", _("commented on a renovation plan"), plan_commenters),
]
