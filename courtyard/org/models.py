"""Place tree, registry of dwellings and people, organisations and scoped roles (ORG-1..6)."""

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
from courtyard.core.access import GrantQuerySet, ParentScoped, PathScoped, ScopedQuerySet
from courtyard.core.console.natural import NaturalKey
from courtyard.core.fields import EncryptedTextField

from .choices import (
    AreaSource,
    BodyKind,
    BodyPosition,
    CoBuildingStatus,
    Gender,
    LegalBasis,
    Occupancy,
    PartnerKind,
    PartyOrgLevel,
    PartyPosition,
    PersonTag,
    PlaceKind,
    PropertyType,
    Relation,
    ResidenceStatus,
    SensitiveCategory,
)


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


class PartnerUnit(models.Model):
    """党建联盟 member: resident unit, merchant, social organisation or department (ORG-5)."""

    community = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="partners", verbose_name=_("community"))
    kind = models.CharField(_("kind"), max_length=16, choices=PartnerKind.choices)
    name = models.CharField(_("name"), max_length=120)
    contact_name = models.CharField(_("contact"), max_length=50, blank=True)
    contact_phone = EncryptedTextField(_("contact phone"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    alliance_member = models.BooleanField(_("party-building alliance member"), default=False)
    joined = models.DateField(_("joined"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_lookups = {"path": "community__path", "unit": None}
    view_perm = "org.view_orgs"

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("partner unit")
        verbose_name_plural = _("partner units")

    def __str__(self) -> str:
        return self.name

    @property
    def scope_path(self) -> str:
        return self.community.path

    scope_unit_id = None


class CoBuildingItem(ParentScoped, models.Model):
    """One line of a partner's co-building responsibility list (共建责任清单)."""
    scope_lookups = {"path": "partner__community__path", "unit": None}
    scope_parent = "partner"
    view_perm = "org.view_orgs"

    partner = models.ForeignKey(PartnerUnit, on_delete=models.CASCADE, related_name="responsibilities")
    title = models.CharField(_("commitment"), max_length=200)
    frequency = models.CharField(_("frequency"), max_length=50, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=CoBuildingStatus.choices, default=CoBuildingStatus.ACTIVE)
    due = models.DateField(_("due"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["partner", "title"]

    def __str__(self) -> str:
        return self.title


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

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["body", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "person"], condition=Q(end_date__isnull=True), name="body_membership_unique_current"
            )
        ]


class RoleGrant(PathScoped, models.Model):
    """A role held by a user on one scope: a place-tree node or a self-governance unit (ORG-6)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("role"), max_length=32)
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.CASCADE, related_name="grants",
                              verbose_name=_("place"))
    unit = models.ForeignKey(SelfGovernanceUnit, null=True, blank=True, on_delete=models.CASCADE, related_name="grants",
                             verbose_name=_("unit"))
    partner = models.ForeignKey(PartnerUnit, null=True, blank=True, on_delete=models.CASCADE, related_name="grants",
                                verbose_name=_("partner unit"))
    title = models.CharField(_("title"), max_length=50, blank=True)
    start_date = models.DateField(_("from"), default=timezone.localdate)
    end_date = models.DateField(_("until"), null=True, blank=True)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # The community the scope lies in, for scoped lists of grants.
    community = models.ForeignKey(Place, null=True, on_delete=models.PROTECT, related_name="+", editable=False)
    path = models.CharField(max_length=255, db_index=True, editable=False)

    objects = GrantQuerySet.as_manager()
    scope_lookups = {"path": "path", "unit": "unit"}
    scope_kind_lookup = "place__kind"  # read by the access kernel (courtyard.core.access.grants)

    class Meta:
        ordering = ["user", "role"]
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.CheckConstraint(
                condition=(Q(place__isnull=False) & Q(unit__isnull=True)) | (Q(place__isnull=True) & Q(unit__isnull=False)),
                name="grant_one_scope",
            )
        ]

    def __str__(self) -> str:
        from courtyard.core.access import ROLES

        role = ROLES.get(self.role)
        return f"{role.label if role else self.role} @ {self.scope}"

    @property
    def scope(self):
        return self.place if self.place_id else self.unit

    # For object-level checks (scopes.in_scope): a grant lies where its scope lies.
    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.start_date <= today and (self.end_date is None or self.end_date >= today)


class RosterImport(ParentScoped, models.Model):
    """One spreadsheet roster upload (ORG-7): checked and staged first, written only on commit."""
    scope_lookups = {"path": "community__path", "unit": None}
    scope_parent = "community"
    view_perm = "org.import_roster"

    class Status(models.TextChoices):
        STAGED = "staged", _("Checked, waiting for confirmation")
        COMMITTED = "committed", _("Imported")
        FAILED = "failed", _("Failed")

    community = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    attachment = models.ForeignKey(
        "core.Attachment", on_delete=models.PROTECT, related_name="+", verbose_name=_("spreadsheet")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.STAGED)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("uploaded by"))
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    committed_at = models.DateTimeField(_("imported"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")

    def __str__(self) -> str:
        return f"{self.attachment.original_name} ({self.get_status_display()})"


# Site plans live in their own module (this one is at its size limit); imported here so Django sees them.
from .siteplan_models import SitePlan  # noqa: E402, F401
