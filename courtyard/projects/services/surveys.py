"""Needs surveys (PRJ-1): questionnaires, and responses given online by residents or recorded by
staff from paper or an interview on a resident's behalf (audited as on-behalf)."""

from __future__ import annotations

import dataclasses

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core import audit
from courtyard.core.audit import Actor
from courtyard.core.models import Channel
from courtyard.org.choices import OWNER_RELATIONS, Relation
from courtyard.org.models import DwellingLink

from .. import permissions as p
from .. import rules
from ..choices import SCALE_POINTS, AgeBand, QuestionKind, ResponseChannel, SurveyPer, SurveyState, Tenure
from ..models import Answer, Question, Response, Survey
from ._common import record, require, require_staff

MAX_OPTIONS = 20


@transaction.atomic
def create_survey(*, by: Actor, unit, title: str, intro: str = "", per: str = SurveyPer.HOUSEHOLD,
                  project=None) -> Survey:
    require_staff(by, p.MANAGE, unit)
    if not (title or "").strip():
        raise ValidationError(_("Give the survey a title."), code="title")
    if per not in SurveyPer.values:
        raise ValidationError(_("Choose who answers."), code="per")
    if project is not None and project.unit_id != unit.pk:
        raise ValidationError(_("Choose a project of this unit."), code="project")
    survey = Survey.objects.create(unit=unit, community_id=unit.community_id, title=title.strip(), intro=intro or "",
                                   per=per, project=project)
    record(by, "projects.survey.create", survey, unit_id=unit.pk, community_id=unit.community_id,
           changes=audit.diff(None, audit.snapshot(survey, ["title", "per", "project"])))
    return survey


def _clean_list(values) -> list[str]:
    return [v.strip() for v in (values or []) if v and v.strip()]


@transaction.atomic
def add_question(*, by: Actor, survey: Survey, kind: str, text: str, options=(), rows=()) -> Question:
    require_staff(by, p.MANAGE, survey)
    if survey.state != SurveyState.DRAFT:
        raise ValidationError(_("Questions can only be added while the survey is a draft."))
    options, rows = _clean_list(options), _clean_list(rows)
    if kind not in QuestionKind.values:
        raise ValidationError(_("Choose the kind of question."), code="kind")
    if not (text or "").strip():
        raise ValidationError(_("Write the question."), code="text")
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and not 2 <= len(options) <= MAX_OPTIONS:
        raise ValidationError(_("A choice question needs between 2 and 20 options."), code="options")
    if kind in (QuestionKind.SCALE, QuestionKind.MATRIX):
        if options and len(options) != SCALE_POINTS:
            raise ValidationError(_("A 5-point scale has exactly five labels (or none for 1–5)."), code="options")
        options = options or [str(i) for i in range(1, SCALE_POINTS + 1)]
    if kind == QuestionKind.MATRIX and not 1 <= len(rows) <= MAX_OPTIONS:
        raise ValidationError(_("A matrix question needs between 1 and 20 rows."), code="rows")
    if kind == QuestionKind.TEXT:
        options = []
    if kind != QuestionKind.MATRIX:
        rows = []
    position = survey.questions.count() + 1
    q = Question.objects.create(survey=survey, position=position, kind=kind, text=text.strip(), options=options,
                                rows=rows)
    record(by, "projects.question.add", q, unit_id=survey.unit_id, community_id=survey.community_id,
           changes={"kind": [None, kind], "text": [None, q.text], "options": [None, options], "rows": [None, rows]})
    return q


@transaction.atomic
def set_state(*, by: Actor, survey: Survey, state: str) -> Survey:
    require_staff(by, p.MANAGE, survey)
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    allowed = {SurveyState.DRAFT: SurveyState.OPEN, SurveyState.OPEN: SurveyState.CLOSED}
    if allowed.get(locked.state) != state:
        raise ValidationError(_("The survey cannot move to that state now."))
    if state == SurveyState.OPEN and not locked.questions.exists():
        raise ValidationError(_("Add at least one question before opening the survey."))
    before = locked.state
    locked.state = state
    if state == SurveyState.OPEN:
        locked.opened_at = timezone.now()
    else:
        locked.closed_at = timezone.now()
    locked.save(update_fields=["state", "opened_at", "closed_at"])
    record(by, f"projects.survey.{state}", locked, unit_id=locked.unit_id, community_id=locked.community_id,
           changes={"state": [before, state]})
    return locked


def age_band(birth_year: int | None, year: int) -> str:
    if not birth_year:
        return AgeBand.UNKNOWN
    age = year - birth_year
    if age >= 65:
        return AgeBand.OVER_65
    if age >= 50:
        return AgeBand.FROM_50
    if age >= 35:
        return AgeBand.FROM_35
    return AgeBand.UNDER_35


def tenure_of(person, dwelling) -> str:
    if person is None or dwelling is None:
        return Tenure.OTHER
    relations = set(DwellingLink.objects.filter(person=person, dwelling=dwelling, end_date__isnull=True)
                    .values_list("relation", flat=True))
    if relations & set(OWNER_RELATIONS):
        return Tenure.OWNER
    if Relation.TENANT in relations:
        return Tenure.TENANT
    return Tenure.OTHER


def clean_answers(questions: list[Question], answers: dict) -> list[tuple[Question, int, list[int], str]]:
    """(question, row, choices, text) rows for the answers given; raises on anything malformed.
    `answers` maps a question id to: a list of option indexes (single, multiple, scale), a dict
    row index → point index (matrix), or a string (text). Unanswered questions are left out."""
    out = []
    for q in questions:
        value = answers.get(q.pk)
        if value in (None, "", [], {}):
            continue
        if q.kind == QuestionKind.TEXT:
            text = str(value).strip()[:2000]
            if text:
                out.append((q, 0, [], text))
            continue
        if q.kind == QuestionKind.MATRIX:
            if not isinstance(value, dict):
                raise ValidationError(_("Question %(n)s: answer each row with one point.") % {"n": q.position})
            for row, point in value.items():
                if not (0 <= int(row) < len(q.rows)) or not (0 <= int(point) < SCALE_POINTS):
                    raise ValidationError(_("Question %(n)s: answer each row with one point.") % {"n": q.position})
                out.append((q, int(row), [int(point)], ""))
            continue
        chosen = sorted({int(v) for v in value})
        if any(not 0 <= c < len(q.options) for c in chosen):
            raise ValidationError(_("Question %(n)s: choose among the options shown.") % {"n": q.position})
        if q.kind != QuestionKind.MULTIPLE and len(chosen) != 1:
            raise ValidationError(_("Question %(n)s: choose one answer.") % {"n": q.position})
        out.append((q, 0, chosen, ""))
    if not out:
        raise ValidationError(_("Answer at least one question."))
    return out


@transaction.atomic
def submit_response(*, by: Actor, survey: Survey, answers: dict, channel: str = ResponseChannel.ONLINE,
                    person=None, dwelling=None) -> Response:
    """One response. Online: the logged-in resident answers for themselves (and their home). Paper or
    interview: staff holding `projects.collect` record it for `person`, audited on their behalf."""
    survey = Survey.objects.select_related("unit").get(pk=survey.pk)  # its state now, not when the page loaded
    if channel == ResponseChannel.ONLINE:
        require(rules.answer_refusal(by.user, survey))
        person = by.user.person
        if dwelling is None or not rules.resident_dwellings(by.user).filter(pk=dwelling.pk).exists():
            dwelling = person.home if person.home_id and person.home.unit_id == survey.unit_id else (
                rules.resident_dwellings(by.user).filter(unit_id=survey.unit_id).order_by("pk").first())
    elif channel in (ResponseChannel.PAPER, ResponseChannel.INTERVIEW):
        require_staff(by, p.COLLECT, survey)
        if survey.state != SurveyState.OPEN:
            raise ValidationError(_("This survey is not open for answers."))
        if person is None:
            raise ValidationError(_("Choose the resident who answered."), code="person")
        dwelling = dwelling or person.home
        if person.unit_id != survey.unit_id and (dwelling is None or dwelling.unit_id != survey.unit_id):
            raise ValidationError(_("Choose a resident of this unit."), code="person")
        by = dataclasses.replace(by, on_behalf_of=person, channel=Channel.OFFLINE)
    else:
        raise ValidationError(_("Choose how the answers were collected."), code="channel")
    if survey.per == SurveyPer.HOUSEHOLD:
        if dwelling is None:
            raise ValidationError(_("This survey takes one answer per household; the resident has no home on record."))
        key = f"d{dwelling.pk}"
    else:
        key = f"p{person.pk}"
    rows = clean_answers(list(survey.questions.all()), answers)
    if Response.objects.filter(survey=survey, respondent_key=key).exists():
        raise ValidationError(_("This household has already answered.") if survey.per == SurveyPer.HOUSEHOLD
                              else _("This resident has already answered."))
    try:
        with transaction.atomic():
            response = Response.objects.create(
                survey=survey, respondent_key=key, person=person, dwelling=dwelling, channel=channel,
                entered_by=by.user, age_band=age_band(person.birth_year, timezone.localdate().year),
                residence_status=person.residence_status,
                building_id=dwelling.building_id if dwelling else None, tenure=tenure_of(person, dwelling))
    except IntegrityError as exc:
        raise ValidationError(_("This response was already recorded.")) from exc
    Answer.objects.bulk_create([Answer(response=response, question=q, row=row, choices=choices, text=text)
                                for q, row, choices, text in rows])
    record(by, "projects.survey.answer", response, unit_id=survey.unit_id, community_id=survey.community_id,
           changes={"channel": [None, channel], "answers": [None, len(rows)]})
    return response
