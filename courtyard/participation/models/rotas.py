"""Rotas (轮值排班, PTC-2): a duty post with its QR code, shifts of people on days, swaps by consent."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtyard.core.access import ParentScoped, ScopedQuerySet

from ..choices import RotaKind, SwapState
from .base import VIEW, UnitRow


def new_token() -> str:
    return secrets.token_urlsafe(18)


class Rota(UnitRow):
    """A rota for one post (the duty desk, the patrol round, the cleaning of one yard). The post's QR
    code carries `token`; scanning it on the day of one's shift checks the shift in."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=RotaKind.choices)
    post = models.CharField(_("post"), max_length=100, help_text=_("Where the QR code hangs"))
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    daily = models.BooleanField(_("someone every day"), default=True)
    active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["unit_id", "kind", "name"]
        verbose_name = _("rota")
        verbose_name_plural = _("rotas")

    def __str__(self) -> str:
        return self.name


class Shift(ParentScoped, models.Model):
    scope_parent = "rota"
    scope_lookups = {"path": "rota__community__path", "unit": "rota__unit"}
    view_perm = VIEW

    rota = models.ForeignKey(Rota, on_delete=models.CASCADE, related_name="shifts", verbose_name=_("rota"))
    day = models.DateField(_("day"))
    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("on duty"))
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["day", "rota_id", "id"]
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        constraints = [models.UniqueConstraint(fields=["rota", "day", "person"], name="participation_shift_once")]
        indexes = [models.Index(fields=["rota", "day"])]

    def __str__(self) -> str:
        return f"{self.rota} {self.day:%Y-%m-%d} {self.person}"


class SwapRequest(ParentScoped, models.Model):
    """A swap offered by the person on `shift` to `to_person`, who gives `their_shift` in exchange
    (or none: they simply take the shift over). Nothing changes until `to_person` consents."""

    scope_parent = "shift"
    scope_lookups = {"path": "shift__rota__community__path", "unit": "shift__rota__unit"}
    view_perm = VIEW

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="swaps", verbose_name=_("shift"))
    their_shift = models.ForeignKey(Shift, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                                    verbose_name=_("their shift in exchange"))
    from_person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("from"))
    to_person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("to"))
    state = models.CharField(_("status"), max_length=16, choices=SwapState.choices, default=SwapState.PROPOSED)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("shift swap")
        verbose_name_plural = _("shift swaps")
