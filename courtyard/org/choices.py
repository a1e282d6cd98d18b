from django.db import models
from django.utils.translation import gettext_lazy as _


class PlaceKind(models.TextChoices):
    DISTRICT = "district", _("District")
    SUBDISTRICT = "subdistrict", _("Subdistrict")
    COMMUNITY = "community", _("Community")
    GRID = "grid", _("Grid")
    MICROGRID = "microgrid", _("Micro-grid")
    BUILDING = "building", _("Building")
    ENTRANCE = "entrance", _("Entrance")


# Which kind may sit under which (ORG-1).
CHILD_KINDS = {
    PlaceKind.DISTRICT: {PlaceKind.SUBDISTRICT},
    PlaceKind.SUBDISTRICT: {PlaceKind.COMMUNITY},
    PlaceKind.COMMUNITY: {PlaceKind.GRID},
    PlaceKind.GRID: {PlaceKind.MICROGRID},
    PlaceKind.MICROGRID: {PlaceKind.BUILDING},
    PlaceKind.BUILDING: {PlaceKind.ENTRANCE},
    PlaceKind.ENTRANCE: set(),
}


class AreaSource(models.TextChoices):
    """Ranked as the Supreme People's Court interpretation on owners' rights ranks them (art. 8)."""

    REGISTER = "register", _("Property register")
    SURVEY = "survey", _("Surveyed area")
    CONTRACT = "contract", _("Sale contract")


AREA_SOURCE_RANK = {AreaSource.REGISTER: 0, AreaSource.SURVEY: 1, AreaSource.CONTRACT: 2}


class PropertyType(models.TextChoices):
    COMMODITY = "commodity", _("Commodity housing")
    REFORM = "reform", _("Housing-reform housing")
    PUBLIC_RENTAL = "public_rental", _("Public rental housing")
    RESETTLEMENT = "resettlement", _("Resettlement housing")
    SELF_BUILT = "self_built", _("Self-built housing")
    COMMERCIAL = "commercial", _("Commercial premises")
    OTHER = "other", _("Other")


class Occupancy(models.TextChoices):
    SELF_OCCUPIED = "self", _("Self-occupied")
    RENTED = "rented", _("Rented out")
    HOMESTAY = "homestay", _("Homestay")
    VACANT = "vacant", _("Vacant")


class Gender(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")


class ResidenceStatus(models.TextChoices):
    PERMANENT = "permanent", _("Permanent resident")
    FLOATING = "floating", _("Floating resident")


class Relation(models.TextChoices):
    OWNER = "owner", _("Owner")
    CO_OWNER = "co_owner", _("Co-owner")
    TENANT = "tenant", _("Tenant")
    FAMILY = "family", _("Family member")
    HOMESTAY_OPERATOR = "homestay_operator", _("Homestay operator")


OWNER_RELATIONS = (Relation.OWNER, Relation.CO_OWNER)


class PersonTag(models.TextChoices):
    PARTY_MEMBER = "party_member", _("Party member")
    VOLUNTEER = "volunteer", _("Volunteer")
    BUILDING_HEAD = "building_head", _("Building head")
    VETERAN = "veteran", _("Veteran")
    MERCHANT = "merchant", _("Merchant")
    PROFESSIONAL = "professional", _("Professional")
    REPRESENTATIVE = "representative", _("Deliberation representative")


class SensitiveCategory(models.TextChoices):
    CARE_LEVEL = "care_level", _("Care level")
    DISABILITY = "disability", _("Disability")
    HEALTH = "health", _("Health")
    LOW_INCOME = "low_income", _("Low income")


class CareLevel(models.TextChoices):
    """五色管理: the colour says how close the watch must be."""

    RED = "red", _("Red – daily watch")
    ORANGE = "orange", _("Orange – twice-weekly visit")
    YELLOW = "yellow", _("Yellow – weekly visit")
    BLUE = "blue", _("Blue – monthly visit")
    GREEN = "green", _("Green – routine")


class LegalBasis(models.TextChoices):
    """PIPL art. 13/28: why the platform may hold a sensitive fact."""

    CONSENT = "consent", _("Separate written consent")
    LEGAL_DUTY = "legal_duty", _("Statutory duty")
    VITAL_INTEREST = "vital_interest", _("Protection of life, health or property in an emergency")
    PUBLIC_INTEREST = "public_interest", _("Public interest within a reasonable scope")


class PartyOrgLevel(models.TextChoices):
    COMMITTEE = "committee", _("Community party committee")
    BRANCH = "branch", _("Grid party branch")
    GROUP = "group", _("Courtyard party group")


class PartyPosition(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")
    DEPUTY = "deputy", _("Deputy secretary")
    COMMITTEE = "committee", _("Committee member")
    MEMBER = "member", _("Member")


class BodyKind(models.TextChoices):
    COMMITTEE = "committee", _("Courtyard committee")
    SUPERVISORY_BOARD = "supervisory_board", _("Supervisory board")
    FUNCTIONAL_GROUP = "functional_group", _("Functional group")


class BodyPosition(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")


class PartnerKind(models.TextChoices):
    RESIDENT_UNIT = "resident_unit", _("Resident unit")
    MERCHANT = "merchant", _("Merchant")
    SOCIAL_ORG = "social_org", _("Social organisation")
    DEPARTMENT = "department", _("Government department")
    PROPERTY_COMPANY = "property_company", _("Property company")
    TRUST_INSTITUTION = "trust_institution", _("Trust institution")


class CoBuildingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("In progress")
    DONE = "done", _("Done")


# ---------------------------------------------------------------- the organisation the seeds describe (ORG-8)
class ManagementMode(models.TextChoices):
    PROFESSIONAL = "professional", _("Professional property management")
    UNIT = "unit", _("Managed by the owning work unit")
    SELF = "self", _("Self-managed by residents")


class HousingType(models.TextChoices):
    OLD = "old", _("Old residential compound")
    COMMODITY = "commodity", _("Commodity housing")
    DORMITORY = "dormitory", _("Work-unit dormitory")


class DangerGrade(models.TextChoices):
    C = "C", _("Grade C (partly dangerous)")
    D = "D", _("Grade D (dangerous as a whole)")
