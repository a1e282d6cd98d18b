"""Deliberation and decisions (DLB-1..9): topics, votes and ballots, notices, meetings,
documents and representatives. Writes go through the `services` package."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtyard.core.access import ParentScoped, ScopedQuerySet
from courtyard.org.models.unit_rows import UnitRow

from . import choices as c

USER = settings.AUTH_USER_MODEL


class UnitScoped(UnitRow):
    """Rows that belong to one self-governance unit (org's UnitRow); a place grant (grid,
    micro-grid…) reaches the rows of the units with dwellings under it."""

    scope_reach_units = True

    class Meta:
        abstract = True


# ---------------------------------------------------------------- topics (DLB-1, DLB-2)
class Topic(UnitScoped):
    view_perm = "deliberation.view_topic"

    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("description"))
    channel = models.CharField(_("raised through"), max_length=20, choices=c.TopicChannel.choices,
                               default=c.TopicChannel.ONLINE)
    raised_by = models.ForeignKey("org.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                  verbose_name=_("raised by"))
    entered_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("entered by"))
    offline_entry = models.BooleanField(_("entered on the resident's behalf"), default=False)
    tier = models.CharField(_("handling"), max_length=20, choices=c.Tier.choices, blank=True)
    step = models.CharField(_("step"), max_length=20, choices=c.Step.choices, default=c.Step.PROPOSED)
    proposed_at = models.DateTimeField(_("proposed"), default=timezone.now)
    discussion_at = models.DateTimeField(_("discussion opened"), null=True, blank=True)
    voting_at = models.DateTimeField(_("vote opened"), null=True, blank=True)
    publicity_at = models.DateTimeField(_("published"), null=True, blank=True)
    execution_at = models.DateTimeField(_("execution started"), null=True, blank=True)
    review_at = models.DateTimeField(_("follow-up review"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    decision = models.TextField(_("decision"), blank=True)
    review_note = models.TextField(_("follow-up review"), blank=True)
    hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=200, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged",
                                    verbose_name=_("merged into"))

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        indexes = [models.Index(fields=["unit", "step"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("deliberation:topic", args=[self.pk])

    def get_console_url(self) -> str:
        return reverse("deliberation:console_topic", args=[self.pk])

    def step_dates(self) -> list[tuple[str, object]]:
        return [(label, getattr(self, f"{value}_at")) for value, label in c.Step.choices if value != "closed"]


class TopicComment(ParentScoped, models.Model):
    scope_lookups = {"path": "topic__community__path", "unit": "topic__unit"}
    scope_parent = "topic"
    view_perm = "deliberation.view_topic"
    scope_reach_units = True

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    person = models.ForeignKey("org.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("comment"), max_length=2000)
    channel = models.CharField(max_length=20, default="online")
    created_at = models.DateTimeField(default=timezone.now)
    hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]


# ---------------------------------------------------------------- votes (DLB-4, DLB-5, DLB-9)
class Vote(UnitScoped):
    view_perm = "deliberation.view_vote"

    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("what is decided"), blank=True)
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.PROTECT, related_name="votes",
                              verbose_name=_("topic"))
    document_version = models.ForeignKey("DocumentVersion", null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="votes")
    electorate = models.CharField(_("who votes"), max_length=20, choices=c.Electorate.choices,
                                  default=c.Electorate.OWNERS)
    choice_kind = models.CharField(_("choices"), max_length=20, choices=c.ChoiceKind.choices,
                                   default=c.ChoiceKind.YES_NO)
    options = models.JSONField(_("options"), default=list, blank=True)
    max_choices = models.PositiveSmallIntegerField(_("at most this many choices"), default=1)
    rule = models.CharField(_("rule"), max_length=20, choices=c.RuleCode.choices, default=c.RuleCode.ART278_ORDINARY)
    custom_participation = models.CharField(_("participation needed (fraction)"), max_length=20, blank=True)
    custom_approval = models.CharField(_("approval needed (fraction)"), max_length=20, blank=True)
    custom_approval_strict = models.BooleanField(_("approval must exceed the fraction (过半数 style)"), default=False)
    follow_majority = models.BooleanField(_("non-voters follow the majority"), default=False)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    notice_days = models.PositiveSmallIntegerField(_("notice period (days)"), default=7)
    allow_change = models.BooleanField(_("voters may change their ballot before closing"), default=False)
    # What the unit's rules of procedure (议事规则) allow; both off by default (ADR 0012).
    show_interim = models.BooleanField(_("the unit's rules let voters see the count before closing"),
                                       default=False)
    may_close_early = models.BooleanField(_("the unit's rules allow counting before the closing time"),
                                          default=False)
    status = models.CharField(_("status"), max_length=12, choices=c.VoteStatus.choices, default=c.VoteStatus.DRAFT)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opens_at", "-id"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")),
                                              name="vote_closes_after_opening",
                                              violation_error_message=_("The vote must close after it opens."))]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("deliberation:vote", args=[self.pk])

    def get_console_url(self) -> str:
        return reverse("deliberation:console_vote", args=[self.pk])

    @property
    def keep_ballots_until(self):
        """Ballots are kept at least one year after the decision (民法典 第280条: one year to sue)."""
        base = self.closed_at or self.closes_at
        return base + timedelta(days=366)

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == c.VoteStatus.OPEN and self.opens_at <= now < self.closes_at


class Elector(ParentScoped, models.Model):
    """The electorate snapshot taken when the vote opens: one voting key with its weight."""
    scope_lookups = {"path": "vote__community__path", "unit": "vote__unit"}
    scope_parent = "vote"
    view_perm = "deliberation.view_vote"
    scope_reach_units = True

    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="electors")
    key = models.CharField(max_length=64)
    label = models.CharField(max_length=300)
    area_m2 = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    dwellings = models.JSONField(default=list)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vote", "key"], name="elector_unique_key")]


class ElectorPerson(ParentScoped, models.Model):
    """Who may cast the ballot of a key (all co-owners of one key; one person per key otherwise)."""
    scope_lookups = {"path": "vote__community__path", "unit": "vote__unit"}
    scope_parent = "vote"
    view_perm = "deliberation.view_vote"
    scope_reach_units = True

    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="elector_people")
    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=64)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vote", "person"], name="elector_person_unique")]


class BallotQuerySet(ScopedQuerySet):
    """Ballots are never deleted; only the bookkeeping fields may change (superseded, confirmed)."""

    MUTABLE = frozenset({"is_current", "superseded_at", "confirmed_by", "confirmed_at"})

    def update(self, **kwargs):
        from courtyard.core.models import AppendOnlyError

        if not set(kwargs) <= self.MUTABLE:
            raise AppendOnlyError("ballot choices cannot be changed; cast a new ballot")
        return super().update(**kwargs)

    def delete(self):
        from courtyard.core.models import AppendOnlyError

        raise AppendOnlyError("ballots cannot be deleted")


class Ballot(ParentScoped, models.Model):
    """One cast ballot. A change is a new row; the old one stays with is_current=False.

    Exactly one current ballot per voting key: the partial unique index below."""
    scope_lookups = {"path": "vote__community__path", "unit": "vote__unit"}
    scope_parent = "vote"
    view_perm = "deliberation.view_vote"
    scope_reach_units = True

    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="ballots")
    voter_key = models.CharField(max_length=64)
    voter = models.ForeignKey("org.Person", null=True, on_delete=models.PROTECT, related_name="+")
    choice = models.JSONField()  # "yes"/"no"/"abstain", or a list of options
    channel = models.CharField(max_length=12, choices=c.BallotChannel.choices)
    cast_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    voter_confirmation = models.CharField(max_length=200, blank=True)  # assisted: how the voter confirmed
    proxy_name = models.CharField(max_length=50, blank=True)
    proxy_document = models.ForeignKey("core.Attachment", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+")
    paper_serial = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    is_current = models.BooleanField(default=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = BallotQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "voter_key"], condition=Q(is_current=True),
                                    name="ballot_one_current_per_voter"),
        ]

    def save(self, *args, **kwargs):
        from courtyard.core.models import AppendOnlyError

        if not self._state.adding:
            fields = kwargs.get("update_fields")
            if not fields or not set(fields) <= BallotQuerySet.MUTABLE:
                raise AppendOnlyError("ballot choices cannot be changed; cast a new ballot")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        from courtyard.core.models import AppendOnlyError

        raise AppendOnlyError("ballots cannot be deleted")

    @property
    def counts(self) -> bool:
        return self.is_current and (self.channel != c.BallotChannel.PAPER or self.confirmed_at is not None)


# ---------------------------------------------------------------- notices (DLB-8)
class Notice(UnitScoped):
    view_perm = "deliberation.view_notice"

    kind = models.CharField(_("kind"), max_length=20, choices=c.NoticeKind.choices)
    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(_("text"))
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.PROTECT, related_name="notices")
    vote = models.ForeignKey(Vote, null=True, blank=True, on_delete=models.PROTECT, related_name="notices")
    meeting = models.ForeignKey("Meeting", null=True, blank=True, on_delete=models.PROTECT, related_name="notices")
    decided_at = models.DateTimeField(_("decided"))
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    period_days = models.PositiveSmallIntegerField(_("notice period (days)"), default=7)
    withdrawn = models.BooleanField(default=False)
    published_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def __str__(self) -> str:
        return self.title

    def get_public_url(self) -> str:
        return reverse("deliberation:public_notice", args=[self.unit.slug, self.pk])

    @property
    def period_ends(self):
        return self.published_at + timedelta(days=self.period_days)

    @property
    def is_late(self) -> bool:
        """Published more than 24 hours after the decision (DLB-8)."""
        return self.published_at - self.decided_at > timedelta(hours=24)

    def in_period(self, now=None) -> bool:
        return (now or timezone.now()) < self.period_ends


class Objection(ParentScoped, models.Model):
    scope_lookups = {"path": "notice__community__path", "unit": "notice__unit"}
    scope_parent = "notice"
    view_perm = "deliberation.view_notice"
    scope_reach_units = True

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="objections")
    topic = models.OneToOneField(Topic, on_delete=models.PROTECT, related_name="objection")
    created_at = models.DateTimeField(default=timezone.now)


# ---------------------------------------------------------------- meetings (DLB-7)

    objects = ScopedQuerySet.as_manager()


class Meeting(UnitScoped):
    view_perm = "deliberation.view_meeting"

    kind = models.CharField(_("kind"), max_length=24, choices=c.MeetingKind.choices)
    title = models.CharField(_("title"), max_length=150)
    starts_at = models.DateTimeField(_("starts"))
    location = models.CharField(_("place"), max_length=150, blank=True)
    agenda = models.ManyToManyField(Topic, blank=True, related_name="meetings", verbose_name=_("agenda"))
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_at = models.DateTimeField(null=True, blank=True)
    signin_token = models.CharField(max_length=32, unique=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return self.title


class Attendance(ParentScoped, models.Model):
    scope_lookups = {"path": "meeting__community__path", "unit": "meeting__unit"}
    scope_parent = "meeting"
    view_perm = "deliberation.view_meeting"
    scope_reach_units = True

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+")
    method = models.CharField(max_length=8, choices=[("desk", _("Desk list")), ("qr", _("QR code"))])
    signed_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once")]


class Resolution(ParentScoped, models.Model):
    scope_lookups = {"path": "meeting__community__path", "unit": "meeting__unit"}
    scope_parent = "meeting"
    view_perm = "deliberation.view_meeting"
    scope_reach_units = True

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="resolutions")
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.PROTECT, related_name="resolutions")
    text = models.TextField(_("resolution"))
    created_at = models.DateTimeField(default=timezone.now)


# ---------------------------------------------------------------- documents (DLB-6)

    objects = ScopedQuerySet.as_manager()


class Document(UnitScoped):
    view_perm = "deliberation.view_topic"

    kind = models.CharField(_("kind"), max_length=20, choices=c.DocumentKind.choices)
    title = models.CharField(_("title"), max_length=150)
    adopted_version = models.ForeignKey("DocumentVersion", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")

    class Meta:
        ordering = ["kind", "title"]

    def __str__(self) -> str:
        return self.title


class DocumentVersion(ParentScoped, models.Model):
    scope_lookups = {"path": "document__community__path", "unit": "document__unit"}
    scope_parent = "document"
    view_perm = "deliberation.view_topic"
    scope_reach_units = True

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=16, choices=c.VersionStatus.choices, default=c.VersionStatus.DRAFT)
    text = models.TextField()  # sections separated by lines starting with "## "
    note = models.CharField(max_length=200, blank=True)
    comments_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["document", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="document_version_unique")]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"

    def sections(self) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for block in ("\n" + self.text).split("\n## ")[1:]:
            head, _sep, body = block.partition("\n")
            out.append((head.strip(), body.strip()))
        return out or [("", self.text)]


class DocumentComment(ParentScoped, models.Model):
    scope_lookups = {"path": "version__document__community__path", "unit": "version__document__unit"}
    scope_parent = "version"
    view_perm = "deliberation.view_topic"
    scope_reach_units = True

    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="comments")
    section = models.CharField(max_length=150, blank=True)
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)


# ---------------------------------------------------------------- representatives (DLB-3)

    objects = ScopedQuerySet.as_manager()


class RepresentativeQuota(UnitScoped):
    view_perm = "deliberation.view_topic"

    group = models.CharField(_("group"), max_length=20, choices=c.QuotaGroup.choices)
    minimum = models.PositiveSmallIntegerField(_("at least"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "group"], name="quota_unique_group")]


class RepresentativePanel(UnitScoped):
    view_perm = "deliberation.view_topic"

    members = models.ManyToManyField("org.Person", related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    unmet_quotas = models.JSONField(default=list)
    override_reason = models.CharField(max_length=300, blank=True)


from .election_models import Election, Nomination  # noqa: E402,F401  (committee elections, ORG-9)
