"""Claims (认领, PTC-7): small wishes (微心愿) posted by residents, micro-projects, idle spaces and green
plants, claimed by a resident (party member, volunteer, a team's contact) or a partner unit; posted →
claimed → done → thanked. The thanks of the person who posted it is what verifies the act: only then
does the claimer earn points."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtyard.core.access import ScopedQuerySet

from ..choices import WishKind, WishState
from .base import UnitRow


class Wish(UnitRow):
    kind = models.CharField(_("kind"), max_length=16, choices=WishKind.choices, default=WishKind.SMALL_WISH)
    title = models.CharField(_("wish"), max_length=120)
    description = models.TextField(_("details"), blank=True)
    posted_by = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("posted by"))
    state = models.CharField(_("status"), max_length=12, choices=WishState.choices, default=WishState.POSTED)
    claimed_by = models.ForeignKey("org.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("claimed by"))
    claimed_partner = models.ForeignKey("org.PartnerUnit", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+", verbose_name=_("claimed by partner unit"))
    team = models.CharField(_("team"), max_length=100, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    done_note = models.CharField(_("what was done"), max_length=300, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    thanks = models.CharField(_("thanks"), max_length=300, blank=True)
    thanked_at = models.DateTimeField(_("thanked at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("posted at"), default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("wish")
        verbose_name_plural = _("wishes")

    def __str__(self) -> str:
        return self.title

    @property
    def claimer_label(self) -> str:
        name = self.claimed_partner.name if self.claimed_partner_id else (self.claimed_by.name if self.claimed_by_id
                                                                          else "")
        return f"{name}（{self.team}）" if self.team and name else name
