"""Events (PTC-4): for a target group, in one unit or open to the whole community (cross-courtyard),
with capacity, a waiting list, reminders and QR check-in (attendance earns points)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtyard.core.access import ParentScoped, ScopedQuerySet

from ..choices import SignupState, TargetGroup
from .base import VIEW, UnitRow
from .rotas import new_token


class Event(UnitRow):
    title = models.CharField(_("title"), max_length=120)
    target_group = models.CharField(_("for"), max_length=16, choices=TargetGroup.choices, default=TargetGroup.EVERYONE)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue = models.CharField(_("venue"), max_length=120)
    capacity = models.PositiveIntegerField(_("places"))
    cross_courtyard = models.BooleanField(_("open to the whole community"), default=False)
    description = models.TextField(_("description"), blank=True)
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [models.CheckConstraint(condition=Q(capacity__gte=1), name="participation_event_capacity"),
                       models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="participation_event_ends")]

    def __str__(self) -> str:
        return self.title


class Signup(ParentScoped, models.Model):
    """One person's place at an event. Places are counted under the event's row lock, so the
    capacity holds under concurrent sign-ups; a cancellation promotes the first on the waiting list."""

    scope_parent = "event"
    scope_lookups = {"path": "event__community__path", "unit": "event__unit"}
    view_perm = VIEW

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="signups", verbose_name=_("event"))
    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    state = models.CharField(_("status"), max_length=12, choices=SignupState.choices)
    created_at = models.DateTimeField(_("signed up"), default=timezone.now)
    attended_at = models.DateTimeField(_("checked in"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["event_id", "created_at", "id"]
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        constraints = [models.UniqueConstraint(fields=["event", "person"], name="participation_signup_once")]

    def __str__(self) -> str:
        return f"{self.event} · {self.person}"
