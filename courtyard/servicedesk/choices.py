"""Choices of the service desk: request kinds, states, urgency, escalation levels, service orders."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    REPAIR = "repair", _("Repair")
    COMPLAINT = "complaint", _("Complaint")
    SUGGESTION = "suggestion", _("Suggestion")
    CONSULTATION = "consultation", _("Consultation")
    HAZARD = "hazard", _("Hazard")
    DISPUTE = "dispute", _("Dispute")
    SERVICE_ORDER = "service_order", _("Service order")
    EMERGENCY = "emergency", _("Emergency")


class State(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    DISPATCHED = "dispatched", _("Dispatched")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting on the resident")
    RESOLVED = "resolved", _("Resolved")
    CONFIRMED = "confirmed", _("Confirmed and rated")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")
    MERGED = "merged", _("Merged as duplicate")
    REFERRED = "referred", _("Referred elsewhere")


# States in which the request still waits for someone (Open311 "open").
OPEN_STATES = (State.SUBMITTED, State.ACCEPTED, State.DISPATCHED, State.IN_PROGRESS, State.WAITING, State.REOPENED)
FINAL_STATES = (State.CLOSED, State.MERGED, State.REFERRED)


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Ordinary")
    URGENT = "urgent", _("Urgent")
    EMERGENCY = "emergency", _("Emergency")


class ClockUnit(models.TextChoices):
    HOURS = "hours", _("Clock hours")
    WORKDAYS = "workdays", _("Working days")


class Level(models.IntegerChoices):
    NONE = 0, _("Not escalated")
    MICROGRID = 1, _("Micro-grid worker")
    COMMITTEE = 2, _("Courtyard committee")
    COMMUNITY = 3, _("Community")
    SUBDISTRICT = 4, _("Subdistrict and departments")


class Menu(models.TextChoices):
    BASIC = "basic", _("Basic list")
    VALUE_ADDED = "value_added", _("Value-added list")


class OrderStage(models.TextChoices):
    ORDERED = "ordered", _("Ordered by the resident")
    ASSESSED = "assessed", _("Assessed by the committee")
    DISPATCHED = "dispatched", _("Dispatched by the community")
    IN_SERVICE = "in_service", _("Service under way")
    ACCEPTED = "accepted", _("Jointly accepted")
    REJECTED = "rejected", _("Declined")


class OfferKind(models.TextChoices):
    SPACE = "space", _("Space")
    SERVICE = "service", _("Service")
    SKILL = "skill", _("Skill")
    MONEY = "money", _("Money")
    GOODS = "goods", _("Goods")


class RatingReason(models.TextChoices):
    FAST = "fast", _("Fast")
    FRIENDLY = "friendly", _("Friendly")
    GOOD_WORK = "good_work", _("Good work")
    SLOW = "slow", _("Too slow")
    NOT_FIXED = "not_fixed", _("Not fixed")
    RUDE = "rude", _("Unfriendly")
    MESSY = "messy", _("Left a mess")
