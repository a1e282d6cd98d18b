from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Act(models.TextChoices):
    """Verified acts that earn points (each has one published rule per unit)."""

    ROTA_CHECKIN = "rota_checkin", _("Duty shift checked in")
    EVENT_ATTENDANCE = "event_attendance", _("Event attended")
    VOLUNTEER_HOURS = "volunteer_hours", _("Volunteer hours confirmed by the organiser")
    CLAIM_DONE = "claim_done", _("Claimed wish completed")


class EntryKind(models.TextChoices):
    EARN = "earn", _("Earned")
    REDEEM = "redeem", _("Redeemed")
    REVERSAL = "reversal", _("Correction")


class ItemKind(models.TextChoices):
    GOODS = "goods", _("Goods")
    SERVICE = "service", pgettext_lazy("points shop item", "Service")
    FEE_OFFSET = "fee_offset", _("Fee offset")
    MICRO_PROJECT = "micro_project", _("Right to run a micro-project")


class RedemptionState(models.TextChoices):
    PLACED = "placed", _("Waiting to be handed over")
    HANDED_OVER = "handed_over", _("Handed over")
    CANCELLED = "cancelled", _("Cancelled and refunded")


class RotaKind(models.TextChoices):
    CLEANING = "cleaning", _("Cleaning")
    PATROL = "patrol", _("Patrol")
    DUTY_DESK = "duty_desk", _("Duty desk")
    RECEPTION = "reception", _("Reception day")


class SwapState(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for consent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
