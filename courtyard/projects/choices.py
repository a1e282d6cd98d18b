"""Choices of the renovation projects app (names follow GLOSSARY.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Source(models.TextChoices):
    """Where a suggestion came from (PRJ-2, DLB-10)."""

    TOPIC = "topic", _("Deliberation topic")
    SURVEY = "survey", _("Needs survey")
    PATROL = "patrol", _("Grid patrol")
    REQUEST = "request", _("Service request")
    OTHER = "other", _("Other (meeting, visit, phone)")


class Category(models.TextChoices):
    """项目库分类: 基础类 / 完善类 / 提升类."""

    BASIC = "basic", _("Basic (基础类)")
    IMPROVE = "improve", _("Improvement (完善类)")
    UPGRADE = "upgrade", _("Upgrade (提升类)")


class ProjectStatus(models.TextChoices):
    LIBRARY = "library", _("In the project library")
    PLANNING = "planning", _("Planning")
    WORKS = "works", _("Under construction")
    ACCEPTANCE = "acceptance", _("Under acceptance")
    DONE = "done", _("Completed")


class SurveyPer(models.TextChoices):
    HOUSEHOLD = "household", _("One answer per household")
    RESIDENT = "resident", _("One answer per resident")


class SurveyState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", pgettext_lazy("survey", "Open")
    CLOSED = "closed", pgettext_lazy("survey", "Closed")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    SCALE = "scale", _("5-point scale")
    MATRIX = "matrix", _("Matrix (rows × 5-point scale)")
    TEXT = "text", _("Free text")


class ResponseChannel(models.TextChoices):
    ONLINE = "online", _("Online by the resident")
    PAPER = "paper", _("Paper questionnaire keyed in by staff")
    INTERVIEW = "interview", _("Interview recorded by staff")


class AgeBand(models.TextChoices):
    UNDER_35 = "u35", _("Under 35")
    FROM_35 = "35_49", _("35–49")
    FROM_50 = "50_64", _("50–64")
    OVER_65 = "65plus", _("65 and over")
    UNKNOWN = "unknown", _("Age not known")


class Tenure(models.TextChoices):
    OWNER = "owner", _("Owner")
    TENANT = "tenant", _("Tenant")
    OTHER = "other", _("Family member or other")


class ConsentAnswer(models.TextChoices):
    YES = "yes", _("Agrees")
    NO = "no", _("Does not agree")
    UNDECIDED = "undecided", _("Undecided")


class ConsentChannel(models.TextChoices):
    DOOR = "door", _("Door-to-door visit")
    ONLINE = "online", _("Online by the resident")
    MEETING = "meeting", _("At a courtyard meeting (坝坝会)")


class PlanState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published for opinions")
    APPROVED = "approved", _("Approved as the final plan")
    SUPERSEDED = "superseded", _("Superseded")


class Disposition(models.TextChoices):
    ADOPTED = "adopted", _("Adopted")
    PARTLY = "partly", _("Partly adopted")
    NOT_ADOPTED = "not_adopted", _("Not adopted")


SCALE_POINTS = 5



class InspectionKind(models.TextChoices):
    """Biweekly inspections plus the mandatory key-node checks (PRJ-4)."""

    BIWEEKLY = "biweekly", _("Biweekly inspection")
    CONCEALED = "concealed", _("Key node: concealed works")
    MATERIALS = "materials", _("Key node: material arrival")
    SUBITEM = "subitem", _("Key node: sub-item acceptance")


class AcceptanceStage(models.TextChoices):
    """Staged acceptance (PRJ-5), in order."""

    SELF_CHECK = "self_check", _("Contractor's self-check")
    SUPERVISOR = "supervisor", _("Supervisor's initial check")
    JOINT_FINAL = "joint_final", _("Joint final acceptance")


STAGE_ORDER = [AcceptanceStage.SELF_CHECK, AcceptanceStage.SUPERVISOR, AcceptanceStage.JOINT_FINAL]


class Party(models.TextChoices):
    """Who takes part in the joint final acceptance."""

    SUBDISTRICT = "subdistrict", _("Subdistrict office")
    PLANNING = "planning", _("Planning department")
    HOUSING = "housing", _("Housing department")
    FIRE = "fire", _("Fire department")
    COMMUNITY = "community", _("Community")
    COMMITTEE = "committee", _("Courtyard committee")
    RESIDENTS = "residents", _("Resident representatives")


class Criterion(models.TextChoices):
    """The four judgements of the joint final acceptance."""

    FITS_PLAN = "fits_plan", _("Built to the approved plan")
    QUALITY = "quality", _("Quality")
    FUNDS = "funds", _("Proper use of funds")
    MAINTENANCE = "maintenance", _("Maintenance arrangements in place")


class ArchiveItem(models.TextChoices):
    DRAWINGS = "drawings", _("As-built drawings")
    RECORDS = "records", _("Construction and inspection records")
    TESTS = "tests", _("Test reports")
    ACCOUNTS = "accounts", _("Accounts")
    FACILITIES = "facilities", _("Facility list")
    MANUALS = "manuals", _("Manuals and warranties")


class FacilityKind(models.TextChoices):
    PIPES = "pipes", _("Pipes")
    LIGHTS = "lights", _("Lights")
    CHARGER = "charger", _("Charging points")
    LOCKER = "locker", _("Parcel lockers")
    LIFT = "lift", _("Lift")
    FIRE = "fire", _("Fire equipment")
    BENCH = "bench", _("Benches and seating")
    FITNESS = "fitness", _("Fitness equipment")
    OTHER = "other", _("Other")


class StructureStatus(models.TextChoices):
    """An illegal structure from registration to removal (PRJ-7)."""

    REGISTERED = "registered", _("Registered")
    PLAN_AGREED = "plan_agreed", _("Demolition plan agreed")
    REMOVED = "removed", _("Removed")


class ContractRole(models.TextChoices):
    WORKS = "works", _("Construction contractor")
    SUPERVISION = "supervision", _("Works supervisor (监理)")


class AwardMethod(models.TextChoices):
    """How the contractor or supervisor was chosen (勘验 → 方案 → 询价 → 表决 → 定施工单位 → 合同)."""

    QUOTATION = "quotation", _("Competitive quotation")
    FRAMEWORK = "framework", _("Framework supplier")
    DIRECT = "direct", _("Direct award (with reason)")


MIN_QUOTES = 3


# ---------------------------------------------------------------- facilities kept (PRJ-6), payments, results, rollout
# The service desk's request category a preventive work order for each kind of facility is filed under.
FACILITY_CATEGORY = {
    "pipes": "water-leak", "lights": "light-street", "charger": "charge-broken", "locker": "bld-door",
    "lift": "bld-lift", "fire": "fire-equipment", "bench": "path-damage", "fitness": "path-damage", "other": "bld-door",
}
PREVENTIVE_LEAD_DAYS = 7  # a preventive work order is filed this many days before the maintenance is due


class PaysFor(models.TextChoices):
    """What a works payment pays for: an inspection (progress) or an acceptance stage."""

    INSPECTION = "inspection", _("Inspection")
    ACCEPTANCE = "acceptance", _("Acceptance stage")


class ResultKind(models.TextChoices):
    """Before/after indicators of a project (PRJ-9)."""

    HAZARDS = "hazards", _("Safety hazards")
    PIPES = "pipes", _("Pipes renewed (m)")
    GREEN = "green", _("Green ratio (%)")
    PUBLIC_SPACE = "public_space", _("Public space (m²)")
    CONSENT = "consent", _("Consent rate (%)")
    SPACE_USE = "space_use", _("Space use (visits per day)")


class VoteMatter(models.TextChoices):
    """Matters for which the Civil Code (art. 278) needs an owners' vote besides household consent."""

    NONE = "", _("No owners' vote needed")
    LIFT = "lift", _("Adding a lift")
    COMMON_PARTS = "common_parts", _("Use of common parts")


class MilestoneKind(models.TextChoices):
    """Milestones of the rollout programme (挂图作战, PRJ-8)."""

    COMMITTEE = "committee", _("Courtyard committee elected")
    RIGHTS_LIST = "rights_list", _("Rights and duties list adopted")
    CONVENTION = "convention", _("Courtyard convention adopted")
    PLATFORM = "platform", _("Platform live")
    FIRST_PROJECT = "first_project", _("First project done")
    OTHER = "other", _("Other milestone")


class ExtensionState(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
