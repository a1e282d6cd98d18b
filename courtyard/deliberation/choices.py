from django.db import models
from django.utils.translation import gettext_lazy as _


class TopicChannel(models.TextChoices):
    ONLINE = "online", _("Online")
    NOTICE_BOARD = "notice_board", _("Notice board")
    WECHAT = "wechat", _("WeChat group")
    SUGGESTION_BOX = "box", _("Suggestion box")
    BABA = "baba", _("Open-air meeting (坝坝会)")
    VISIT = "visit", _("Household visit")
    PATROL = "patrol", _("Grid patrol")


OFFLINE_CHANNELS = tuple(ch for ch in TopicChannel.values if ch != TopicChannel.ONLINE)


class Tier(models.TextChoices):
    COMMITTEE = "committee", _("Decided by the committee")
    ASSEMBLY = "assembly", _("Residents' vote")
    MEDIATION = "mediation", _("Third-party mediation")


class Step(models.TextChoices):
    PROPOSED = "proposed", _("Proposal")
    DISCUSSION = "discussion", _("Discussion")
    VOTING = "voting", _("Vote")
    PUBLICITY = "publicity", _("Publication")
    EXECUTION = "execution", _("Execution")
    REVIEW = "review", _("Follow-up review")
    CLOSED = "closed", _("Closed")


STEP_ORDER = [s.value for s in Step]


class Electorate(models.TextChoices):
    OWNERS = "owners", _("Owners (one per dwelling, 民法典 第278条)")
    HOUSEHOLDS = "households", _("Households (one per dwelling)")
    ADULTS = "adults", _("Adult residents")
    REPRESENTATIVES = "representatives", _("Deliberation representatives")
    COMMITTEE = "committee", _("Committee members")


class ChoiceKind(models.TextChoices):
    YES_NO = "yes_no", _("Yes / no / abstain")
    SINGLE = "single", _("One option")
    MULTIPLE = "multiple", _("Several options")


class RuleCode(models.TextChoices):
    ART278_MAJOR = "art278_major", _("Major matter: ≥ 2/3 take part, ≥ 3/4 of them agree (第278条 items 6–8)")
    ART278_ORDINARY = "art278_ordinary", _("Ordinary matter: ≥ 2/3 take part, more than half of them agree")
    SIMPLE_MAJORITY = "simple_majority", _("More than half of those who vote")
    CUSTOM = "custom", _("Custom thresholds")


class VoteStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class BallotChannel(models.TextChoices):
    ONLINE = "online", _("Online")
    PAPER = "paper", _("Paper ballot")
    ASSISTED = "assisted", _("Assisted by a digital helper")
    PROXY = "proxy", _("Written proxy")


class NoticeKind(models.TextChoices):
    DECISION = "decision", _("Decision")
    RESULT = "result", _("Vote result")
    MINUTES = "minutes", _("Meeting minutes")
    DOCUMENT = "document", _("Adopted document")
    ANNOUNCEMENT = "announcement", _("Announcement")


class MeetingKind(models.TextChoices):
    PARTY_JOINT = "party_joint", _("Party joint meeting")
    COUNCIL = "council", _("Residents' council")
    LEADING_GROUP = "leading_group", _("Leading group")
    COORDINATION = "coordination", _("Multi-party coordination")
    PROJECT = "project", _("Project coordination")


# Expected days between meetings of a kind; None: on demand (never flagged).
MEETING_CADENCE_DAYS = {
    MeetingKind.PARTY_JOINT: 31,
    MeetingKind.COUNCIL: 92,
    MeetingKind.LEADING_GROUP: 14,
    MeetingKind.COORDINATION: None,
    MeetingKind.PROJECT: None,
}


class DocumentKind(models.TextChoices):
    CONVENTION = "convention", _("Courtyard convention")
    CHARTER = "charter", _("Charter")
    RULES = "rules", _("Rules of procedure")
    NAMING = "naming", _("Naming")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COMMENTS = "comments", _("Open for comments")
    CONSOLIDATED = "consolidated", _("Consolidated draft")
    ADOPTED = "adopted", _("Adopted")
    SUPERSEDED = "superseded", _("Superseded")


class QuotaGroup(models.TextChoices):
    YOUNG = "young", _("Young (under 40)")
    MIDDLE = "middle", _("Middle-aged (40–59)")
    OLD = "old", _("Older (60 and over)")
    TENANT = "tenant", _("Tenants and floating residents")
    MERCHANT = "merchant", _("Merchants")
    SPECIAL = "special", _("Special groups (veterans, party members, professionals)")


# ---------------------------------------------------------------- committee elections (ORG-9)
class ElectionStatus(models.TextChoices):
    NOMINATING = "nominating", _("Nominations open")
    LISTED = "listed", _("Candidate list confirmed")
    VOTING = "voting", _("Voting")
    DECIDED = "decided", _("Result published")
    CANCELLED = "cancelled", _("Cancelled")


class NominationKind(models.TextChoices):
    SELF = "self", _("Self-nomination")
    JOINT = "joint", _("Joint nomination by residents")
    PARTY = "party", _("Nominated by the party group")


class NominationStatus(models.TextChoices):
    AWAITING = "awaiting", _("Awaiting the nominee's consent")
    CONSENTED = "consented", _("Consented")
    DECLINED = "declined", _("Declined")


class Occupation(models.TextChoices):
    RETIRED = "retired", _("Retired")
    EMPLOYED = "employed", _("Employed")
    SELF_EMPLOYED = "self_employed", _("Self-employed or merchant")
    PROFESSIONAL = "professional", _("Professional (teacher, doctor, lawyer, engineer…)")
    OTHER = "other", _("Other")


class DiversityGroup(models.TextChoices):
    """What a committee's candidate list is checked for (ORG-9)."""
    WOMEN = "women", _("Women")
    YOUNG = "young", _("Young (under 40)")
    MIDDLE = "middle", _("Middle-aged (40–59)")
    OLD = "old", _("Older (60 and over)")
    TENANT = "tenant", _("Tenants and floating residents")
    OCCUPATIONS = "occupations", _("Different occupations")


ELECTION_ELECTORATES = (Electorate.HOUSEHOLDS, Electorate.ADULTS)
ELECTED_BODIES = [("committee", _("Courtyard committee")), ("supervisory_board", _("Supervisory board"))]
