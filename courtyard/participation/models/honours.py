"""Honours (PTC-3): a yearly round per unit and honour (书香家庭, 优秀志愿者 …) with nominations drawn from
the activity records (points earned, volunteer hours, events attended that year), decided by review
(committee members sign off the selection, each sign-off recorded) or by a vote of the residents on the
deliberation vote machinery (through the named hooks of `courtyard.core.hooks`). Names reach the public page only with the
honouree's consent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtyard.core.access import ParentScoped, ScopedQuerySet
from courtyard.core.models import AppendOnlyModel, AppendOnlyQuerySet

from ..choices import FAMILY_HONOURS, HonourKind, HonourMethod, HonourState
from .base import VIEW, UnitRow


class HonourRound(UnitRow):
    kind = models.CharField(_("honour"), max_length=20, choices=HonourKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    seats = models.PositiveSmallIntegerField(_("how many are honoured"))
    method = models.CharField(_("decided by"), max_length=8, choices=HonourMethod.choices)
    signoffs_needed = models.PositiveSmallIntegerField(_("sign-offs needed"), default=2)
    state = models.CharField(_("status"), max_length=12, choices=HonourState.choices, default=HonourState.NOMINATING)
    selection = models.JSONField(default=list, blank=True, editable=False)  # nomination ids under review
    vote_id = models.PositiveIntegerField(null=True, blank=True, editable=False)  # the vote (deliberation, through core.hooks)
    outcome = models.CharField(_("outcome"), max_length=300, blank=True, editable=False)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "unit_id", "kind"]
        verbose_name = _("honour round")
        verbose_name_plural = _("honours")
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind", "year"], name="participation_honour_once_a_year"),
            models.CheckConstraint(condition=Q(seats__gte=1, signoffs_needed__gte=1), name="participation_honour_seats"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()}"

    @property
    def places_left_open(self) -> int:
        """Places a tie for the last place left to the committee (decided by vote)."""
        return int(self.outcome[5:]) if self.outcome.startswith("open=") else 0

    @property
    def for_families(self) -> bool:
        return self.kind in FAMILY_HONOURS


class HonourNomination(ParentScoped, models.Model):
    """A nominee with what the activity records said when nominated (the basis shown to reviewers)."""

    scope_parent = "round"
    scope_lookups = {"path": "round__community__path", "unit": "round__unit"}
    view_perm = VIEW

    round = models.ForeignKey(HonourRound, on_delete=models.CASCADE, related_name="nominations")
    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("nominee"))
    reason = models.CharField(_("why"), max_length=300, blank=True)
    points = models.IntegerField(_("points earned that year"), default=0)
    hours = models.PositiveIntegerField(_("volunteer hours that year"), default=0)
    events = models.PositiveIntegerField(_("events attended that year"), default=0)
    votes = models.PositiveIntegerField(_("votes"), null=True, blank=True)
    awarded = models.BooleanField(_("honoured"), default=False)
    public_consent = models.BooleanField(_("agreed to be named on the public page"), default=False)
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["round_id", "-awarded", "-points", "id"]
        verbose_name = _("honour nomination")
        verbose_name_plural = _("honour nominations")
        constraints = [models.UniqueConstraint(fields=["round", "person"], name="participation_nominated_once")]

    def __str__(self) -> str:
        return f"{self.round} · {self.person}"


class SignoffQuerySet(AppendOnlyQuerySet, ScopedQuerySet):
    pass


class HonourSignoff(ParentScoped, AppendOnlyModel):
    """A committee member's sign-off of the selection under review (kept, never edited)."""

    scope_parent = "round"
    scope_lookups = {"path": "round__community__path", "unit": "round__unit"}
    view_perm = VIEW

    round = models.ForeignKey(HonourRound, on_delete=models.PROTECT, related_name="signoffs")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    selection = models.JSONField()
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = SignoffQuerySet.as_manager()

    class Meta:
        ordering = ["round_id", "created_at", "id"]
        verbose_name = _("honour sign-off")
        verbose_name_plural = _("honour sign-offs")
