"""Needs surveys (PRJ-1): questionnaires, one response per household or per resident, answers.

A response keeps a snapshot of who answered (age band, residence status, building, owner or
tenant) taken when it was recorded, so cross-tabs do not move when people age or move house.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtyard.core.access import ParentScoped, ScopedQuerySet

from ..choices import AgeBand, QuestionKind, ResponseChannel, SurveyPer, SurveyState, Tenure
from .base import VIEW, UnitRow


class Survey(UnitRow):
    title = models.CharField(_("title"), max_length=120)
    intro = models.TextField(_("introduction"), blank=True)
    per = models.CharField(_("who answers"), max_length=16, choices=SurveyPer.choices, default=SurveyPer.HOUSEHOLD)
    state = models.CharField(_("state"), max_length=16, choices=SurveyState.choices, default=SurveyState.DRAFT)
    project = models.ForeignKey("projects.Project", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="surveys", verbose_name=_("project"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("needs survey")
        verbose_name_plural = _("needs surveys")

    def __str__(self) -> str:
        return self.title

    def get_console_url(self) -> str:
        return reverse("projects:survey", args=[self.pk])


class Question(ParentScoped, models.Model):
    scope_parent = "survey"
    scope_lookups = {"path": "survey__community__path", "unit": "survey__unit"}
    view_perm = VIEW
    scope_reach_units = True

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("number"), default=1)
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=300)
    options = models.JSONField(_("options"), default=list, blank=True)
    rows = models.JSONField(_("matrix rows"), default=list, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["survey", "position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return f"{self.position}. {self.text}"


class Response(ParentScoped, models.Model):
    scope_parent = "survey"
    scope_lookups = {"path": "survey__community__path", "unit": "survey__unit"}
    view_perm = VIEW
    scope_reach_units = True

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    # "d<dwelling id>" or "p<person id>": the database keeps one response per household or resident.
    respondent_key = models.CharField(max_length=24, editable=False)
    person = models.ForeignKey("org.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("respondent"))
    dwelling = models.ForeignKey("org.Dwelling", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("household"))
    channel = models.CharField(_("channel"), max_length=16, choices=ResponseChannel.choices)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("entered by"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    age_band = models.CharField(_("age band"), max_length=16, choices=AgeBand.choices, default=AgeBand.UNKNOWN)
    residence_status = models.CharField(_("residence status"), max_length=16, blank=True)
    building = models.ForeignKey("org.Place", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("building"))
    tenure = models.CharField(_("owner or tenant"), max_length=16, choices=Tenure.choices, default=Tenure.OTHER)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["survey", "pk"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [models.UniqueConstraint(fields=["survey", "respondent_key"], name="survey_one_response")]

    def __str__(self) -> str:
        return f"{self.survey} #{self.pk}"


class Answer(ParentScoped, models.Model):
    """One answer: chosen option indexes (a scale point is its index 0–4), or text. A matrix question
    has one answer per row."""

    scope_parent = "response"
    scope_lookups = {"path": "response__survey__community__path", "unit": "response__survey__unit"}
    view_perm = VIEW
    scope_reach_units = True

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    row = models.PositiveSmallIntegerField(default=0)
    choices = models.JSONField(default=list, blank=True)
    text = models.TextField(blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["response", "question", "row"]
        constraints = [models.UniqueConstraint(fields=["response", "question", "row"], name="answer_one_per_row")]
