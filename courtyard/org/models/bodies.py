"""Party organisations, members and their zones; governance bodies and their members (ORG-3, ORG-4)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from courtyard.core.access import ParentScoped, ScopedQuerySet

from ..choices import BodyKind, BodyPosition, PartyOrgLevel, PartyPosition
from .partners import PartnerUnit
from .places import Place, SelfGovernanceUnit
from .registry import Person


class PartyOrg(models.Model):
    """Party committee → grid branch → courtyard group (ORG-3)."""

    community = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="party_orgs", verbose_name=_("community"))
    level = models.CharField(_("level"), max_length=16, choices=PartyOrgLevel.choices)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="party_orgs_here")
    unit = models.ForeignKey(SelfGovernanceUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="party_groups")

    objects = ScopedQuerySet.as_manager()
    scope_lookups = {"path": "community__path", "unit": "unit"}
    view_perm = "org.view_orgs"

    class Meta:
        ordering = ["community", "level", "name"]
        verbose_name = _("party organisation")
        verbose_name_plural = _("party organisations")

    def __str__(self) -> str:
        return self.name


class PartyMember(ParentScoped, models.Model):
    scope_lookups = {"path": "org__community__path", "unit": "org__unit"}
    scope_parent = "org"
    view_perm = "org.view_orgs"

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="party_membership")
    org = models.ForeignKey(PartyOrg, on_delete=models.PROTECT, related_name="members", verbose_name=_("organisation"))
    position = models.CharField(_("position"), max_length=16, choices=PartyPosition.choices, default=PartyPosition.MEMBER)
    central_household = models.BooleanField(_("party-member household"), default=False)
    reported_from = models.ForeignKey(
        PartnerUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="reporting_members",
        verbose_name=_("double-reporting from"),
    )
    since = models.DateField(_("since"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["org", "position", "person__name"]
        verbose_name = _("party member")

    def __str__(self) -> str:
        return str(self.person)


class ResponsibilityZone(ParentScoped, models.Model):
    """包干楼栋单元: the building or entrance a party member looks after."""
    scope_lookups = {"path": "place__path", "unit": None}
    scope_parent = "place"
    view_perm = "org.view_orgs"

    member = models.ForeignKey(PartyMember, on_delete=models.CASCADE, related_name="zones")
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="responsible_members")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "place"], name="zone_unique")]


class GovernanceBody(models.Model):
    """Courtyard committee, supervisory board or functional group of a unit (ORG-4)."""

    unit = models.ForeignKey(SelfGovernanceUnit, on_delete=models.PROTECT, related_name="bodies", verbose_name=_("unit"))
    kind = models.CharField(_("kind"), max_length=20, choices=BodyKind.choices)
    name = models.CharField(_("name"), max_length=100)
    duties = models.TextField(_("duties"), blank=True)
    term_start = models.DateField(_("term starts"), null=True, blank=True)
    term_end = models.DateField(_("term ends"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_lookups = {"path": "unit__community__path", "unit": "unit"}
    view_perm = "org.view_orgs"

    class Meta:
        ordering = ["unit", "kind", "name"]
        verbose_name = _("governance body")
        verbose_name_plural = _("governance bodies")

    def __str__(self) -> str:
        return self.name


class BodyMembership(ParentScoped, models.Model):
    scope_lookups = {"path": "body__unit__community__path", "unit": "body__unit"}
    scope_parent = "body"
    view_perm = "org.view_orgs"

    body = models.ForeignKey(GovernanceBody, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="body_memberships")
    position = models.CharField(_("position"), max_length=16, choices=BodyPosition.choices, default=BodyPosition.MEMBER)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)
    # Committee members each liaise with assigned grids (ORG-8).
    liaison_grids = models.ManyToManyField(Place, blank=True, related_name="liaison_members",
                                           limit_choices_to={"kind": "grid"}, verbose_name=_("liaison grids"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["body", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "person"], condition=Q(end_date__isnull=True), name="body_membership_unique_current"
            )
        ]
