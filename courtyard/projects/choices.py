"""Choices of the renovation projects app (names follow GLOSSARY.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Source(models.TextChoices):
    """Where a suggestion came from (PRJ-2, DLB-10)."""

    TOPIC = "topic", _("Deliberation topic")
    SURVEY = "survey", _("Needs survey")
    PATROL = "patrol", _("Grid patrol")
    REQUEST = "request", _("Service request")
    OTHER = "other", _("Other (meeting, visit, phone)")


class Category(models.TextChoices):
    """项目库分类: 基础类 / 完善类 / 提升类."""

    BASIC = "basic", _("Basic (基础类)")
    IMPROVE = "improve", _("Improvement (完善类)")
    UPGRADE = "upgrade", _("Upgrade (提升类)")


class ProjectStatus(models.TextChoices):
    LIBRARY = "library", _("In the project library")
    PLANNING = "planning", _("Planning")
    WORKS = "works", _("Under construction")
    ACCEPTANCE = "acceptance", _("Under acceptance")
    DONE = "done", _("Completed")


class SurveyPer(models.TextChoices):
    HOUSEHOLD = "household", _("One answer per household")
    RESIDENT = "resident", _("One answer per resident")


class SurveyState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", pgettext_lazy("survey", "Open")
    CLOSED = "closed", pgettext_lazy("survey", "Closed")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    SCALE = "scale", _("5-point scale")
    MATRIX = "matrix", _("Matrix (rows × 5-point scale)")
    TEXT = "text", _("Free text")


class ResponseChannel(models.TextChoices):
    ONLINE = "online", _("Online by the resident")
    PAPER = "paper", _("Paper questionnaire keyed in by staff")
    INTERVIEW = "interview", _("Interview recorded by staff")


class AgeBand(models.TextChoices):
    UNDER_35 = "u35", _("Under 35")
    FROM_35 = "35_49", _("35–49")
    FROM_50 = "50_64", _("50–64")
    OVER_65 = "65plus", _("65 and over")
    UNKNOWN = "unknown", _("Age not known")


class Tenure(models.TextChoices):
    OWNER = "owner", _("Owner")
    TENANT = "tenant", _("Tenant")
    OTHER = "other", _("Family member or other")


class ConsentAnswer(models.TextChoices):
    YES = "yes", _("Agrees")
    NO = "no", _("Does not agree")
    UNDECIDED = "undecided", _("Undecided")


class ConsentChannel(models.TextChoices):
    DOOR = "door", _("Door-to-door visit")
    ONLINE = "online", _("Online by the resident")
    MEETING = "meeting", _("At a courtyard meeting (坝坝会)")


class PlanState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published for opinions")
    APPROVED = "approved", _("Approved as the final plan")
    SUPERSEDED = "superseded", _("Superseded")


class Disposition(models.TextChoices):
    ADOPTED = "adopted", _("Adopted")
    PARTLY = "partly", _("Partly adopted")
    NOT_ADOPTED = "not_adopted", _("Not adopted")


SCALE_POINTS = 5

