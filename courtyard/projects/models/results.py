"""The results board (PRJ-9): before/after indicators per project and the post-project evaluation,
published on the unit's public page without personal data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtyard.core.access import ParentScoped, ScopedQuerySet

from ..choices import ResultKind
from .base import VIEW

_PROJECT = {"path": "project__community__path", "unit": "project__unit"}


class ResultIndicator(ParentScoped, models.Model):
    scope_parent = "project"
    scope_lookups = _PROJECT
    view_perm = VIEW
    scope_reach_units = True

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="results")
    kind = models.CharField(_("indicator"), max_length=16, choices=ResultKind.choices)
    before = models.DecimalField(_("before"), max_digits=12, decimal_places=2)
    after = models.DecimalField(_("after"), max_digits=12, decimal_places=2)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["project", "kind"]
        verbose_name = _("before/after indicator")
        verbose_name_plural = _("before/after indicators")
        constraints = [models.UniqueConstraint(fields=["project", "kind"], name="result_one_per_kind"),
                       models.CheckConstraint(condition=models.Q(before__gte=0, after__gte=0),
                                              name="result_nonnegative")]


class Evaluation(ParentScoped, models.Model):
    """后评估: goals met, residents' satisfaction and what it cost against the budget; counts, not names."""

    scope_parent = "project"
    scope_lookups = _PROJECT
    view_perm = VIEW
    scope_reach_units = True

    project = models.OneToOneField("projects.Project", on_delete=models.CASCADE, related_name="evaluation")
    goals_set = models.PositiveSmallIntegerField(_("goals set"))
    goals_met = models.PositiveSmallIntegerField(_("goals met"))
    surveyed = models.PositiveIntegerField(_("households asked"))
    satisfied = models.PositiveIntegerField(_("households satisfied"))
    spent_fen = models.BigIntegerField(_("spent (fen)"))
    summary = models.TextField(_("what was done"))
    residents_said = models.TextField(_("what residents said"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("post-project evaluation")
        verbose_name_plural = _("post-project evaluations")
        constraints = [
            models.CheckConstraint(condition=models.Q(goals_met__lte=models.F("goals_set"), goals_set__gte=1),
                                   name="evaluation_goals"),
            models.CheckConstraint(condition=models.Q(satisfied__lte=models.F("surveyed")),
                                   name="evaluation_satisfied"),
            models.CheckConstraint(condition=models.Q(spent_fen__gte=0), name="evaluation_spent"),
        ]
