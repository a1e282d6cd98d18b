"""The registry: dwellings and their areas, people, tags, who lives where, sensitive records."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtyard.core import pii
from courtyard.core.access import ParentScoped, PathScoped, ScopedQuerySet
from courtyard.core.fields import EncryptedTextField

from ..choices import (
    AreaSource,
    Gender,
    LegalBasis,
    Occupancy,
    PersonTag,
    PlaceKind,
    PropertyType,
    Relation,
    ResidenceStatus,
    SensitiveCategory,
)
from .places import Courtyard, Place, SelfGovernanceUnit


class Dwelling(PathScoped, models.Model):
    """户: one dwelling. Location fields below the entrance are copied for fast scoped queries."""

    entrance = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="dwellings", verbose_name=_("entrance"),
        limit_choices_to={"kind": PlaceKind.ENTRANCE},
    )
    number = models.CharField(_("room"), max_length=20)
    floor = models.SmallIntegerField(_("floor"), null=True, blank=True)
    area_m2 = models.DecimalField(
        _("exclusive area (m²)"), max_digits=10, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    area_source = models.CharField(_("area source"), max_length=16, choices=AreaSource.choices, blank=True)
    property_type = models.CharField(
        _("property type"), max_length=16, choices=PropertyType.choices, default=PropertyType.COMMODITY
    )
    occupancy = models.CharField(_("occupancy"), max_length=16, choices=Occupancy.choices, default=Occupancy.SELF_OCCUPIED)
    developer_unsold = models.BooleanField(_("unsold by the developer"), default=False)
    # Denormalised from the entrance, kept by services.move/rename.
    building = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+", editable=False)
    courtyard = models.ForeignKey(Courtyard, on_delete=models.PROTECT, related_name="dwellings", editable=False)
    unit = models.ForeignKey(
        SelfGovernanceUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="dwellings", editable=False
    )
    community = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+", editable=False)
    path = models.CharField(max_length=255, db_index=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_lookups = {"path": "path", "unit": "unit"}

    class Meta:
        # (entrance, number) is the unique index: lists walk it in order and stop at a page.
        ordering = ["entrance_id", "number"]
        verbose_name = _("dwelling")
        verbose_name_plural = _("dwellings")
        constraints = [models.UniqueConstraint(fields=["entrance", "number"], name="dwelling_unique_number")]
        indexes = [models.Index(fields=["community", "unit"])]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.courtyard.name} {self.building.name}{self.entrance.name}{self.number}"

    def get_console_url(self) -> str:
        return reverse("org:dwelling", args=[self.pk])


class DwellingArea(ParentScoped, models.Model):
    """One measured area of a dwelling; the dwelling carries the best-ranked one."""
    scope_lookups = {"path": "dwelling__path", "unit": "dwelling__unit"}
    scope_parent = "dwelling"
    view_perm = "org.view_dwelling"

    dwelling = models.ForeignKey(Dwelling, on_delete=models.CASCADE, related_name="areas")
    source = models.CharField(_("source"), max_length=16, choices=AreaSource.choices)
    area_m2 = models.DecimalField(
        _("area (m²)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    reference = models.CharField(_("document number"), max_length=100, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dwelling", "source"], name="dwelling_area_one_per_source")]


class Person(PathScoped, models.Model):
    community = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"), null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    phone = EncryptedTextField(_("mobile number"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    id_number = EncryptedTextField(_("ID number"), blank=True)
    id_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    residence_status = models.CharField(
        _("residence status"), max_length=16, choices=ResidenceStatus.choices, default=ResidenceStatus.PERMANENT
    )
    home = models.ForeignKey(
        Dwelling, null=True, blank=True, on_delete=models.SET_NULL, related_name="residents", verbose_name=_("home")
    )
    # Copied from the home dwelling (or the community) for scoped queries.
    path = models.CharField(max_length=255, db_index=True, editable=False)
    unit = models.ForeignKey(
        SelfGovernanceUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_lookups = {"path": "path", "unit": "unit"}

    class Meta:
        ordering = ["path", "name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name

    @property
    def masked_phone(self) -> str:
        return pii.mask_phone(self.phone)

    @property
    def masked_id_number(self) -> str:
        return pii.mask_id_number(self.id_number)

    def age(self, today=None) -> int | None:
        if not self.birth_year:
            return None
        today = today or timezone.localdate()
        return today.year - self.birth_year


class Tag(ParentScoped, models.Model):
    scope_lookups = {"path": "person__path", "unit": "person__unit"}
    scope_parent = "person"
    view_perm = "org.view_person"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="tags")
    code = models.CharField(_("tag"), max_length=32, choices=PersonTag.choices)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "code"], name="tag_unique")]

    def __str__(self) -> str:
        return self.get_code_display()


class DwellingLink(ParentScoped, models.Model):
    """A person's relation to a dwelling, with dates (owner, co-owner, tenant, …)."""
    scope_lookups = {"path": "dwelling__path", "unit": "dwelling__unit"}
    scope_parent = "dwelling"
    view_perm = "org.view_person"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="links", verbose_name=_("person"))
    dwelling = models.ForeignKey(Dwelling, on_delete=models.CASCADE, related_name="links", verbose_name=_("dwelling"))
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["dwelling", "relation"]
        verbose_name = _("dwelling link")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "dwelling", "relation"], condition=Q(end_date__isnull=True), name="link_unique_current"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="link_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_relation_display()} – {self.dwelling_id}"

    @property
    def is_current(self) -> bool:
        return self.end_date is None or self.end_date >= timezone.localdate()


class SensitiveRecord(ParentScoped, models.Model):
    """A sensitive fact about a person (care level, disability, …) with its legal basis (PIPL art. 28)."""
    scope_lookups = {"path": "person__path", "unit": "person__unit"}
    scope_parent = "person"
    view_perm = "org.view_sensitive"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="sensitive_records")
    category = models.CharField(_("category"), max_length=16, choices=SensitiveCategory.choices)
    value = models.CharField(_("value"), max_length=50)
    detail = models.TextField(_("detail"), blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=20, choices=LegalBasis.choices)
    basis_note = models.CharField(_("basis details"), max_length=200)
    consent_document = models.ForeignKey(
        "core.Attachment", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("consent document"),
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["person", "category"]
        constraints = [
            models.CheckConstraint(condition=~Q(basis_note=""), name="sensitive_basis_required"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.value}"
