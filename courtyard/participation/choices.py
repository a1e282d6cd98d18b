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
    OFFSET = "offset", _("Used on a bill")


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


class TargetGroup(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    ELDERS = "elders", _("Elders")
    YOUTH = "youth", _("Youth")
    CHILDREN = "children", _("Children and families")


class SignupState(models.TextChoices):
    REGISTERED = "registered", _("Signed up")
    WAITLISTED = "waitlisted", _("On the waiting list")
    ATTENDED = "attended", _("Attended")
    CANCELLED = "cancelled", _("Cancelled")


TAKING_PLACE = (SignupState.REGISTERED, SignupState.ATTENDED)  # sign-ups that hold a place


class ValueMethod(models.TextChoices):
    """How a partner's contribution is valued in yuan: quantity × unit price, stated on every row."""

    CASH = "cash", _("Cash given (yuan)")
    MARKET_PRICE = "market_price", _("Goods at market price (items × price)")
    SERVICE_HOURS = "service_hours", _("Professional service (hours × market hourly rate)")
    VENUE_DAYS = "venue_days", _("Venue or equipment lent (days × market daily rent)")
    FEES_WAIVED = "fees_waived", _("Fees waived (times × usual fee)")


class WishKind(models.TextChoices):
    SMALL_WISH = "small_wish", _("Small wish")
    MICRO_PROJECT = "micro_project", _("Micro-project")
    IDLE_SPACE = "idle_space", _("Idle space")
    GREEN_PLANT = "green_plant", _("Green plants")


class WishState(models.TextChoices):
    POSTED = "posted", _("Waiting for someone to claim it")
    CLAIMED = "claimed", _("Claimed")
    DONE = "done", _("Done, waiting for thanks")
    THANKED = "thanked", _("Thanked")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class TeamKind(models.TextChoices):
    VOLUNTEER_TEAM = "volunteer_team", _("Volunteer team")
    INTEREST_GROUP = "interest_group", _("Interest group")


class TeamState(models.TextChoices):
    PROPOSED = "proposed", _("Looking for members")
    INCUBATING = "incubating", _("Being incubated")
    ACTIVE = "active", pgettext_lazy("team", "Active")


class TrainingLevel(models.TextChoices):
    COMMUNITY = "community", _("Community level")
    SUBDISTRICT = "subdistrict", _("Subdistrict level")
    DISTRICT = "district", _("District level")


class TalentKind(models.TextChoices):
    ACTIVE_RESIDENT = "active_resident", _("Active resident")
    LOCAL_TALENT = "local_talent", _("Local talent")


COMMITTEE_HOURS = 40  # training hours a year each committee member should reach (PTC-8, seed 003 §3.2)


class MemoryKind(models.TextChoices):
    ESSAY = "essay", _("The courtyard's essay")
    STORY = "story", _("Story")
    ORAL_HISTORY = "oral_history", _("Oral history")
    OLD_PHOTO = "old_photo", _("Old photo")
    OBJECT = "object", _("Old object")
    FAMILY_MOTTO = "family_motto", _("Family motto")


class HonourKind(models.TextChoices):
    """Yearly honours of a unit; a family honour names one person for the household."""

    VOLUNTEER = "volunteer", _("Outstanding volunteer")
    BOOK_FAMILY = "book_family", _("Book-loving family")
    GOOD_NEIGHBOUR = "good_neighbour", _("Good neighbour")
    ACTIVE_RESIDENT = "active_resident", _("Active resident of the year")


FAMILY_HONOURS = (HonourKind.BOOK_FAMILY,)


class HonourMethod(models.TextChoices):
    REVIEW = "review", _("Review: committee members sign off")
    VOTE = "vote", _("Vote of the residents")


class HonourState(models.TextChoices):
    NOMINATING = "nominating", _("Taking nominations")
    DECIDING = "deciding", _("Under review or vote")
    DECIDED = "decided", _("Decided")
