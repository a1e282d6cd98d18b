from django.db import models
from django.utils.translation import gettext_lazy as _


class Grade(models.TextChoices):
    """Hazard grade: red (major), yellow (serious), blue (ordinary)."""
    RED = "red", _("Red – major")
    YELLOW = "yellow", _("Yellow – serious")
    BLUE = "blue", _("Blue – ordinary")


class HazardSource(models.TextChoices):
    PATROL = "patrol", _("Patrol anomaly")
    RESIDENT = "resident", _("Resident report")
    INSPECTION = "inspection", _("Inspection finding")
    REQUEST = "request", _("Hazard request")


class HazardState(models.TextChoices):
    OPEN = "open", _("Being rectified")
    FIXED = "fixed", _("Awaiting re-inspection")
    CLOSED = "closed", _("Closed after re-inspection")


class Frequency(models.TextChoices):
    TWICE_DAILY = "twice_daily", _("Twice daily")
    DAILY = "daily", _("Daily")
    WORKDAYS = "workdays", _("Working days")
    WEEKLY = "weekly", _("Weekly")


class Timeliness(models.TextChoices):
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
    MISSED = "missed", _("Missed")


class Arrival(models.TextChoices):
    """How the worker reached the point's check-in page (ADR 0030)."""
    QR = "qr", _("QR code scanned")
    NFC = "nfc", _("NFC tag tapped")
    MANUAL = "manual", _("Chosen from the list")


class ManualReason(models.TextChoices):
    """Why a point was checked without scanning its code or tapping its tag."""
    STICKER = "sticker", _("QR sticker damaged or missing")
    TAG = "tag", _("NFC tag does not respond")
    PHONE = "phone", _("Phone cannot scan")
    OTHER = "other", _("Other (say why in the note)")


class TaskState(models.TextChoices):
    OPEN = "open", _("To do")
    DONE = "done", _("Done")
    MISSED = "missed", _("Missed")


class CareGroup(models.TextChoices):
    ELDERLY_ALONE = "elderly_alone", _("Elderly living alone")
    DISABLED = "disabled", _("Disabled")
    LOW_INCOME = "low_income", _("Low income")
    OTHER = "other", _("Other key person")


class Wellbeing(models.TextChoices):
    WELL = "well", _("Well")
    NEEDS_HELP = "needs_help", _("Needs help")
    UNWELL = "unwell", _("Unwell – urgent")
    NOT_SEEN = "not_seen", _("Not seen")


class WarningReason(models.TextChoices):
    LAPSED = "lapsed", _("Visit lapsed")
    TROUBLE = "trouble", _("Visit reported trouble")


class Tier(models.IntegerChoices):
    NEIGHBOUR = 1, _("Neighbour mediator")
    PROFESSIONAL = 2, _("Professional mediation")
    CONSULTATION = 3, _("Multi-party consultation")


class CaseState(models.TextChoices):
    REQUESTED = "requested", _("Awaiting a mediator")
    OPEN = "open", _("In mediation")
    AGREED = "agreed", _("Agreement reached")
    REFERRED = "referred", _("Referred elsewhere")
    FAILED = "failed", _("No agreement")


class EmergencyKind(models.TextChoices):
    FIRE = "fire", _("Fire")
    FLOOD = "flood", _("Flood")
    GAS = "gas", _("Gas leak")
    POWER = "power", _("Power cut")
