"""Teams and people (PTC-1, PTC-7, PTC-8): volunteer teams and interest groups that any two residents can
start and staff incubate, the pool of active residents and local talents, and training records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtyard.core.access import ParentScoped, ScopedQuerySet

from ..choices import TalentKind, TeamKind, TeamState, TrainingLevel
from .base import VIEW, UnitRow


class Team(UnitRow):
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=TeamKind.choices)
    purpose = models.CharField(_("what it does"), max_length=300)
    state = models.CharField(_("status"), max_length=12, choices=TeamState.choices, default=TeamState.PROPOSED)
    started_by = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("started by"))
    incubated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("incubated by"))
    created_at = models.DateTimeField(_("started"), default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["unit_id", "name", "id"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="participation_team_name_once")]

    def __str__(self) -> str:
        return self.name


class TeamMember(ParentScoped, models.Model):
    scope_parent = "team"
    scope_lookups = {"path": "team__community__path", "unit": "team__unit"}
    view_perm = VIEW

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members", verbose_name=_("team"))
    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    leader = models.BooleanField(_("leader"), default=False)
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["team_id", "-leader", "joined_at", "id"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [models.UniqueConstraint(fields=["team", "person"], name="participation_member_once")]


class Talent(UnitRow):
    """居民骨干库 / 社区达人: someone's skills, listed with their consent."""

    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    kind = models.CharField(_("kind"), max_length=16, choices=TalentKind.choices)
    skills = models.CharField(_("skills"), max_length=200)
    consent = models.BooleanField(_("agreed to be listed"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["unit_id", "kind", "id"]
        verbose_name = _("talent")
        verbose_name_plural = _("talent pool")
        constraints = [models.UniqueConstraint(fields=["unit", "person"], name="participation_talent_once"),
                       models.CheckConstraint(condition=Q(consent=True), name="participation_talent_consent")]


class TrainingRecord(UnitRow):
    """One training attended: course, level of the three-level system, hours."""

    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    course = models.CharField(_("course"), max_length=120)
    level = models.CharField(_("level"), max_length=12, choices=TrainingLevel.choices)
    hours = models.PositiveSmallIntegerField(_("hours"))
    day = models.DateField(_("day"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "-id"]
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        constraints = [models.CheckConstraint(condition=Q(hours__gte=1, hours__lte=200),
                                              name="participation_training_hours")]
