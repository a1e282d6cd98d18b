"""Committee elections (ORG-9): an election of a unit's self-governance committee, its nominations and
candidate list. The ballot itself is an ordinary `Vote` (several options, up to N choices) — the vote
machinery (electorate snapshot, one current ballot per key, paper/assisted/proxy channels, exact
tally) is reused, not copied (docs/elections.md, ADR 0019)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtyard.core.access import ParentScoped, ScopedQuerySet

from . import choices as c
from .models import UnitScoped, Vote

USER = settings.AUTH_USER_MODEL


class Election(UnitScoped):
    view_perm = "deliberation.view_vote"

    title = models.CharField(_("title"), max_length=120)
    body_kind = models.CharField(_("body elected"), max_length=20, choices=c.ELECTED_BODIES,
                                 default="committee")
    seats = models.PositiveSmallIntegerField(_("seats"))
    # A by-election (补选) fills vacant seats: the winners join, sitting members stay.
    by_election = models.BooleanField(_("by-election (fills vacant seats; sitting members stay)"), default=False)
    electorate = models.CharField(_("who votes"), max_length=20, choices=c.Electorate.choices,
                                  default=c.Electorate.HOUSEHOLDS)
    participation = models.CharField(_("participation needed (fraction)"), max_length=20, default="1/2")
    joint_minimum = models.PositiveSmallIntegerField(_("residents needed for a joint nomination"), default=5)
    term_years = models.PositiveSmallIntegerField(_("term (years)"), default=3)
    nominations_close = models.DateTimeField(_("nominations close"))
    quotas = models.JSONField(_("diversity quotas"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=c.ElectionStatus.choices,
                              default=c.ElectionStatus.NOMINATING)
    list_confirmed_at = models.DateTimeField(null=True, blank=True)
    list_confirmed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    list_unmet = models.JSONField(default=list, blank=True)
    list_reason = models.CharField(_("reason for confirming with unmet quotas"), max_length=300, blank=True)
    vote = models.OneToOneField(Vote, null=True, blank=True, on_delete=models.PROTECT, related_name="election")
    body = models.ForeignKey("org.GovernanceBody", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    term_start = models.DateField(_("term starts"), null=True, blank=True)
    term_end = models.DateField(_("term ends"), null=True, blank=True)
    outcome = models.JSONField(null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("election")
        verbose_name_plural = _("elections")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("deliberation:election", args=[self.pk])

    def get_console_url(self) -> str:
        return reverse("deliberation:console_election", args=[self.pk])


class Nomination(ParentScoped, models.Model):
    """One person put forward (by themselves, by residents jointly, or by the party group). Only a
    nominee who consented stands on the candidate list; nobody is placed on it without a nomination."""
    scope_lookups = {"path": "election__community__path", "unit": "election__unit"}
    scope_parent = "election"
    view_perm = "deliberation.view_vote"
    scope_reach_units = True

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="nominations")
    nominee = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("nominee"))
    kind = models.CharField(_("nominated by"), max_length=8, choices=c.NominationKind.choices)
    nominators = models.JSONField(default=list, blank=True)  # [person id, …] for a joint nomination
    party_org = models.ForeignKey("org.PartyOrg", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("party organisation"))
    occupation = models.CharField(_("occupation"), max_length=16, choices=c.Occupation.choices)
    statement = models.TextField(_("statement"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=c.NominationStatus.choices,
                              default=c.NominationStatus.AWAITING)
    consent_at = models.DateTimeField(null=True, blank=True)
    consent_channel = models.CharField(max_length=10, blank=True)  # online / paper (signed form kept)
    consent_recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                            related_name="+")
    ballot_name = models.CharField(max_length=80, blank=True)  # the option on the ballot
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [models.UniqueConstraint(fields=["election", "nominee"], name="nomination_once_per_person")]

    def __str__(self) -> str:
        return str(self.nominee)
