"""The place tree, resident groups, self-governance units and courtyards (ORG-1, ORG-2)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from courtyard.core.access import ParentScoped, ScopedQuerySet
from courtyard.core.console.natural import NaturalKey

from ..choices import DangerGrade, HousingType, ManagementMode, PlaceKind


class Place(models.Model):
    """A node of the place tree. `path` is the dot-terminated chain of ancestor ids ("1.4.17.")."""

    kind = models.CharField(_("level"), max_length=16, choices=PlaceKind.choices)
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=32, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    community = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    courtyard = models.ForeignKey(
        "Courtyard", null=True, blank=True, on_delete=models.PROTECT, related_name="buildings",
        verbose_name=_("courtyard"),
    )
    floors = models.PositiveSmallIntegerField(_("floors"), null=True, blank=True)
    # Buildings (ORG-8): the housing safety appraisal's grade (C/D 危房) and the flood-risk points to watch.
    danger_grade = models.CharField(_("danger grade"), max_length=1, choices=DangerGrade.choices, blank=True)
    flood_risk = models.CharField(_("flood-risk points"), max_length=200, blank=True)
    map_x = models.FloatField(null=True, blank=True, help_text="x on the site plan (Leaflet CRS.Simple)")
    map_y = models.FloatField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_lookups = {"path": "path", "unit": "courtyard__unit"}

    class Meta:
        ordering = ["path"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        constraints = [
            models.CheckConstraint(
                condition=Q(courtyard__isnull=True) | Q(kind=PlaceKind.BUILDING), name="place_courtyard_only_building"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_path(self) -> str:
        return self.path

    @property
    def scope_unit_id(self) -> int | None:
        return self.courtyard.unit_id if self.courtyard_id else None

    def get_console_url(self) -> str:
        return reverse("org:place", args=[self.pk])

    def ancestors(self) -> models.QuerySet[Place]:
        ids = [int(p) for p in self.path.split(".") if p][:-1]
        return Place.objects.filter(pk__in=ids).order_by("depth")


class ResidentGroup(ParentScoped, models.Model):
    """居民小组: the traditional subdivision of a community."""
    scope_lookups = {"path": "community__path", "unit": None}
    scope_parent = "community"
    view_perm = "org.view_orgs"

    community = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="resident_groups")
    name = models.CharField(_("name"), max_length=100)
    leader = models.ForeignKey("Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["community", "name"]

    def __str__(self) -> str:
        return self.name


class SelfGovernanceUnit(models.Model):
    """One or more courtyards governed together (三院合一 → 学道苑)."""

    community = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="units", verbose_name=_("community"))
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("web address"), max_length=60, unique=True)
    intro = models.TextField(_("introduction"), blank=True)
    established = models.DateField(_("established"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_lookups = {"path": "community__path", "unit": "pk"}
    view_perm = "org.view_place"

    class Meta:
        ordering = [NaturalKey("name").asc()]  # 学道苑2期 before 学道苑10期
        verbose_name = _("self-governance unit")
        verbose_name_plural = _("self-governance units")

    def __str__(self) -> str:
        return self.name

    @property
    def scope_path(self) -> str:
        return self.community.path

    @property
    def scope_unit_id(self) -> int:
        return self.pk


class Courtyard(models.Model):
    community = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="courtyards", verbose_name=_("community"))
    unit = models.ForeignKey(
        SelfGovernanceUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="courtyards",
        verbose_name=_("self-governance unit"),
    )
    resident_group = models.ForeignKey(
        ResidentGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="courtyards",
        verbose_name=_("resident group"),
    )
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    built_year = models.PositiveSmallIntegerField(_("year built"), null=True, blank=True)
    management_mode = models.CharField(_("management mode"), max_length=16, choices=ManagementMode.choices,
                                       blank=True)
    housing_type = models.CharField(_("type"), max_length=16, choices=HousingType.choices, blank=True)
    property_owner = models.CharField(_("property-owning unit"), max_length=120, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_lookups = {"path": "community__path", "unit": "unit"}
    view_perm = "org.view_place"

    class Meta:
        ordering = ["community", NaturalKey("name").asc()]  # 2号院 before 10号院
        verbose_name = _("courtyard")
        verbose_name_plural = _("courtyards")
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="courtyard_unique_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_path(self) -> str:
        return self.community.path

    @property
    def scope_unit_id(self) -> int | None:
        return self.unit_id
