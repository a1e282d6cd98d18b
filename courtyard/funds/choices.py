"""Choices for the funds app. Labels are gettext; codes are stable (they go into the hash chain)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    RENOVATION = "renovation", _("Renovation special account")
    WORKS = "works", _("Co-managed works-payment account")
    SELF_GOVERNANCE = "self_governance", _("Self-governance fund")
    MICRO_FUND = "micro_fund", _("Community micro-fund")
    TRUST_PROPERTY = "trust_property", _("Trust-property account")
    MAINTENANCE = "maintenance", _("Maintenance fund")


class Policy(models.TextChoices):
    THREE_PARTY = "three_party", _("Three-party sign-off (supervisor, community finance, committee)")
    FOUR_TWO = "four_two", _("Four deliberations, two publications (四议两公开)")
    SINGLE = "single", _("Single approver")


class Kind(models.TextChoices):
    INCOME = "income", _("Income")
    PAYMENT = "payment", _("Payment")
    REVERSAL = "reversal", _("Correction (reversing entry)")


class Basis(models.TextChoices):
    EXPENDITURE = "expenditure", _("Approved expenditure")
    LEVY = "levy", _("Levy payment")
    SUBSIDY = "subsidy", _("Government subsidy")
    GRANT = "grant", _("Grant")
    DONATION = "donation", _("Donation")
    PPP = "ppp", _("Social-capital (PPP) revenue share")
    CANTEEN = "canteen", _("Canteen surplus")
    FEE = "fee", _("Property fee")
    RESOLUTION = "resolution", _("Resolution or vote")
    TRANSFER = "transfer", _("Transfer between accounts")
    CORRECTION = "correction", _("Correction")


# Income that the government pays; everything else raised is "self-funded" (INS-1 self-funding ratio).
GOVERNMENT_BASES = frozenset({Basis.SUBSIDY, Basis.GRANT})
INCOME_BASES = (Basis.LEVY, Basis.SUBSIDY, Basis.GRANT, Basis.DONATION, Basis.PPP, Basis.CANTEEN, Basis.FEE,
                Basis.RESOLUTION, Basis.TRANSFER)


class Category(models.TextChoices):
    SAFETY = "safety", _("Safety")
    ENVIRONMENT = "environment", _("Environment")
    CULTURE = "culture", _("Culture")
    OFFICE = "office", _("Office")
    WORKS = "works", _("Renovation works")
    PROPERTY = "property", _("Property services")
    OTHER = "other", _("Other")


# FND-7 allocation guide, as exact percentages.
GUIDE = {Category.SAFETY: 40, Category.ENVIRONMENT: 30, Category.CULTURE: 20, Category.OFFICE: 10}


class CounterpartyKind(models.TextChoices):
    ORGANISATION = "organisation", _("Organisation")
    GOVERNMENT = "government", _("Government body")
    PERSON = "person", _("Private person")
    RESIDENTS = "residents", _("Residents (collective)")


class RequestState(models.TextChoices):
    PENDING = "pending", _("Awaiting sign-off")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    PAID = "paid", _("Paid")
    CLOSED = "closed", _("Paid, result published")


class Step(models.TextChoices):
    SUPERVISOR = "supervisor", _("Works supervisor")
    FINANCE = "finance", _("Community finance")
    COMMITTEE = "committee", _("Committee representative")
    PROPOSE = "propose", _("Party branch proposes")
    DISCUSS = "discuss", _("Committee discusses")
    REVIEW = "review", _("Representatives review")
    RESOLVE = "resolve", _("Assembly resolves")
    PUBLISH_DECISION = "publish_decision", _("Decision published")
    PUBLISH_RESULT = "publish_result", _("Result published")
    APPROVE = "approve", _("Approver")


class Decision(models.TextChoices):
    APPROVE = "approve", _("Approved")
    REJECT = "reject", _("Rejected")
    DONE = "done", _("Done")


class StatementState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEWED = "reviewed", _("Reviewed by the committee")
    PUBLISHED = "published", _("Published")


class CallState(models.TextChoices):
    OPEN = "open", _("Open for proposals")
    REVIEW = "review", _("Under review")
    AWARDED = "awarded", _("Awarded")
    CLOSED = "closed", _("Closed")


class ProposalState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    AWARDED = "awarded", _("Awarded")
    DECLINED = "declined", _("Not awarded")
    DISBURSED = "disbursed", _("Disbursed")
    REPORTED = "reported", _("Final report received")


class Criterion(models.TextChoices):
    """Micro-grant review criteria (FND-6); the maximum points add up to 100."""

    NEED = "need", _("Community need")
    FEASIBILITY = "feasibility", _("Feasibility")
    PARTICIPATION = "participation", _("Resident participation")
    VALUE = "value", _("Value for money")


CRITERIA_MAX = {Criterion.NEED: 30, Criterion.FEASIBILITY: 25, Criterion.PARTICIPATION: 25, Criterion.VALUE: 20}


# --- household fees (SVC-13) ----------------------------------------------------------------------------
class FeeKind(models.TextChoices):
    CLEANING = "cleaning", _("Cleaning fee")
    QUASI_PROPERTY = "quasi_property", _("Quasi-property service fee")
    PARKING = "parking", _("Parking fee")


class FeeBasis(models.TextChoices):
    HOUSEHOLD = "household", _("Per household")
    AREA = "area", _("Per m² of the dwelling")


class FeePeriod(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    YEARLY = "yearly", _("Yearly")


class PaymentMethod(models.TextChoices):
    CONSOLE = "console", _("Cash or transfer recorded at the office")
    ONLINE = "online", _("Online payment")
    WECHAT = "wechat", _("WeChat Pay")
    BANK = "bank", _("Bank")
