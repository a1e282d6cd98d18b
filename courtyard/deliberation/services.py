"""Every write of the deliberation app: keyword-only, one transaction, one audit event each."""

from __future__ import annotations

import difflib
import secrets
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from courtyard.core import text as text_limits
from courtyard.core.audit import Actor, diff, record, snapshot
from courtyard.core.files import store_upload
from courtyard.core.notify import Text, notify
from courtyard.org.choices import OWNER_RELATIONS, BodyKind, PersonTag
from courtyard.org.models import BodyMembership, Dwelling, DwellingLink, Person, RoleGrant

from . import choices as c
from . import permissions as p
from . import rules as dl_rules
from . import tally as t
from .models import (
    Attendance,
    Ballot,
    Document,
    DocumentComment,
    DocumentVersion,
    Elector,
    ElectorPerson,
    Meeting,
    Notice,
    Objection,
    RepresentativePanel,
    RepresentativeQuota,
    Resolution,
    Topic,
    TopicComment,
    Vote,
)


def _require(by: Actor, perm: str, obj) -> None:
    if by.user is None:  # the system actor (demo loader, jobs)
        return
    if not dl_rules.allowed(by.user, perm, obj):
        raise PermissionDenied


# ================================================================ topics (DLB-1, DLB-2)
@transaction.atomic
def raise_topic(*, by: Actor, unit, title: str, body: str, channel: str = c.TopicChannel.ONLINE,
                raised_by: Person | None = None, files=()) -> Topic:
    """A resident raises a topic online, or staff / a helper enter one raised offline on someone's behalf."""
    title, body = title.strip(), body.strip()
    if not title or not body:
        raise ValidationError(_("A topic needs a title and a description."))
    text_limits.within(title, limit=Topic._meta.get_field("title").max_length, what=_("The title"))
    text_limits.within(body, limit=text_limits.BODY_MAX, what=_("The description"))
    offline = channel != c.TopicChannel.ONLINE or by.on_behalf_of is not None
    if offline:
        _require(by, p.MANAGE_TOPIC, unit) if channel != c.TopicChannel.ONLINE else _require(by, p.ASSIST_VOTE, unit)
        raised_by = raised_by or by.on_behalf_of
    else:
        raised_by = by.user.person if by.user else raised_by
        if by.user is not None and (raised_by is None or raised_by.unit_id != unit.pk):
            raise PermissionDenied
    topic = Topic.objects.create(unit=unit, title=title[:120], body=body, channel=channel, raised_by=raised_by,
                                 entered_by=by.user, offline_entry=offline)
    for f in files:
        store_upload(by=by, upload=f, allowed={"image", "video"}, owner=topic)
    record(by, "deliberation.topic.raise", topic, changes=diff(None, snapshot(topic, fields=[
        "title", "channel", "raised_by", "offline_entry"])))
    return topic


# Which step may follow which, by handling tier (phase-gated).
NEXT_STEPS = {
    c.Step.PROPOSED: {c.Step.DISCUSSION, c.Step.CLOSED},
    c.Step.DISCUSSION: {c.Step.VOTING, c.Step.PUBLICITY, c.Step.CLOSED},
    c.Step.VOTING: {c.Step.PUBLICITY},
    c.Step.PUBLICITY: {c.Step.EXECUTION, c.Step.CLOSED},
    c.Step.EXECUTION: {c.Step.REVIEW},
    c.Step.REVIEW: {c.Step.CLOSED},
    c.Step.CLOSED: set(),
}


@transaction.atomic
def advance_topic(*, by: Actor, topic: Topic, to: str, tier: str | None = None, decision: str = "",
                  note: str = "") -> Topic:
    _require(by, p.MANAGE_TOPIC, topic)
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    before = snapshot(topic, fields=["step", "tier", "decision"])
    if to not in NEXT_STEPS[topic.step]:
        raise ValidationError(_("A topic in step “%(step)s” cannot move to “%(to)s”.") % {
            "step": topic.get_step_display(), "to": c.Step(to).label})
    if tier:
        topic.tier = tier
    if to in (c.Step.VOTING, c.Step.PUBLICITY) and topic.step == c.Step.DISCUSSION:
        if not topic.tier:
            raise ValidationError(_("Choose how the topic is handled before leaving the discussion."))
        if to == c.Step.VOTING and topic.tier != c.Tier.ASSEMBLY:
            raise ValidationError(_("Only topics handled by a residents' vote go to a vote."))
        if to == c.Step.PUBLICITY and topic.tier == c.Tier.ASSEMBLY:
            raise ValidationError(_("This topic must be decided by a vote first."))
        if to == c.Step.PUBLICITY and not decision.strip():
            raise ValidationError(_("Write down the decision before publishing it."))
    if to == c.Step.PUBLICITY and topic.step == c.Step.VOTING:
        if not topic.votes.filter(status=c.VoteStatus.CLOSED).exists():
            raise ValidationError(_("The vote on this topic has not closed yet."))
    if to == c.Step.CLOSED and topic.step == c.Step.REVIEW and not (note or topic.review_note).strip():
        raise ValidationError(_("Record the follow-up review before closing."))
    now = timezone.now()
    topic.step = to
    if to != c.Step.CLOSED:
        setattr(topic, f"{to}_at", now)
    else:
        topic.closed_at = now
    if decision:
        topic.decision = decision.strip()
    if note:
        topic.review_note = note.strip()
    topic.save()
    record(by, "deliberation.topic.step", topic, changes=diff(before, snapshot(topic, fields=["step", "tier",
                                                                                              "decision"])), note=note)
    if to == c.Step.PUBLICITY and topic.decision and not topic.notices.exists():
        publish_notice(by=by, unit=topic.unit, kind=c.NoticeKind.DECISION, title=topic.title, body=topic.decision,
                       decided_at=now, topic=topic)
    return topic


@transaction.atomic
def comment_topic(*, by: Actor, topic: Topic, body: str) -> TopicComment:
    body = body.strip()
    if not body:
        raise ValidationError(_("Write a comment first."))
    text_limits.within(body, limit=text_limits.COMMENT_MAX, what=_("The comment"))
    if topic.step != c.Step.DISCUSSION or topic.hidden:
        raise ValidationError(_("Comments are open only while the topic is in discussion."))
    person = by.on_behalf_of or (by.user.person if by.user else None)
    if by.on_behalf_of is not None:
        _require(by, p.ASSIST_VOTE, topic)
    elif person is None or person.unit_id != topic.unit_id:
        if not (by.user and by.user.has_perm(p.MANAGE_TOPIC, topic)):
            raise PermissionDenied
    comment = TopicComment.objects.create(topic=topic, author=by.user, person=person, body=body[:2000],
                                          channel=by.channel)
    record(by, "deliberation.topic.comment", topic, changes={"comment": [None, comment.pk]})
    return comment


@transaction.atomic
def hide(*, by: Actor, obj: Topic | TopicComment, reason: str):
    """Moderation: hides a topic or a comment with a reason; nothing is deleted."""
    topic = obj if isinstance(obj, Topic) else obj.topic
    _require(by, p.MODERATE, topic)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give a reason for hiding."))
    obj.hidden, obj.hidden_reason = True, reason[:200]
    obj.save(update_fields=["hidden", "hidden_reason"])
    what = "topic" if isinstance(obj, Topic) else "comment"
    record(by, f"deliberation.{what}.hide", topic, changes={"hidden": [False, True], "id": [None, obj.pk]},
           note=reason)
    return obj


@transaction.atomic
def merge_topics(*, by: Actor, source: Topic, into: Topic) -> Topic:
    _require(by, p.MANAGE_TOPIC, source)
    if source.pk == into.pk or source.unit_id != into.unit_id:
        raise ValidationError(_("Only two different topics of the same unit can be merged."))
    if into.merged_into_id:
        raise ValidationError(_("That topic was itself merged into another."))
    if source.step not in (c.Step.PROPOSED, c.Step.DISCUSSION):
        raise ValidationError(_("Only topics still in proposal or discussion can be merged."))
    source.merged_into, source.step, source.closed_at = into, c.Step.CLOSED, timezone.now()
    source.save(update_fields=["merged_into", "step", "closed_at"])
    record(by, "deliberation.topic.merge", source, changes={"merged_into": [None, into.pk]})
    return into


# ================================================================ votes (DLB-4, DLB-5, DLB-9)
def _fraction(text: str) -> Fraction:
    try:
        f = Fraction(str(text).strip().replace("／", "/"))
    except (ValueError, ZeroDivisionError):
        raise ValidationError(_("“%(value)s” is not a fraction such as 2/3.") % {"value": text}) from None
    if not 0 <= f <= 1:
        raise ValidationError(_("A threshold lies between 0 and 1."))
    return f


def rule_spec(vote: Vote) -> dict:
    """The vote's rule as the JSON spec `tally.build_rule` reads (and the export carries)."""
    spec = {"rule": vote.rule, "electorate": vote.electorate}
    if vote.rule == c.RuleCode.CUSTOM:
        spec["custom"] = {"participation": vote.custom_participation.strip() or "0",
                          "approval": vote.custom_approval.strip() or "1/2",
                          "approval_strict": vote.custom_approval_strict}
    return spec


def vote_rule(vote: Vote) -> t.Rule:
    """Built by the same function `manage.py tally` uses (tally.rule_from_spec)."""
    if vote.rule == c.RuleCode.CUSTOM:  # the clear message for a bad fraction
        _fraction(vote.custom_participation or "0")
        _fraction(vote.custom_approval or "1/2")
    try:
        return t.rule_from_spec(rule_spec(vote))
    except ValueError as exc:
        raise ValidationError(_("This vote's rule cannot be applied to its electorate.")) from exc


@transaction.atomic
def create_vote(*, by: Actor, unit, title: str, opens_at, closes_at, **fields) -> Vote:
    _require(by, p.MANAGE_VOTE, unit)
    vote = Vote(unit=unit, title=title.strip(), opens_at=opens_at, closes_at=closes_at, created_by=by.user, **fields)
    check_vote(vote)
    vote.save()
    record(by, "deliberation.vote.create", vote, changes=diff(None, snapshot(vote, fields=[
        "title", "electorate", "choice_kind", "rule", "opens_at", "closes_at", "allow_change", "topic"])))
    return vote


def check_vote(vote: Vote) -> None:
    """The rules a vote's settings must follow; each error names the field it concerns."""
    if vote.closes_at <= vote.opens_at:
        raise ValidationError({"closes_at": _("The vote must close after it opens.")})
    if vote.rule in (c.RuleCode.ART278_MAJOR, c.RuleCode.ART278_ORDINARY) and vote.electorate != c.Electorate.OWNERS:
        raise ValidationError({"rule": _("The Civil Code rules apply to votes of owners.")})
    if vote.choice_kind != c.ChoiceKind.YES_NO:
        vote.options = [str(o).strip() for o in vote.options if str(o).strip()]
        if len(vote.options) < 2:
            raise ValidationError({"options": _("Give at least two options.")})
        if vote.choice_kind == c.ChoiceKind.SINGLE:
            vote.max_choices = 1
        elif not 1 <= vote.max_choices <= len(vote.options):
            raise ValidationError({"max_choices": _(
                "The maximum number of choices must lie between 1 and the number of options.")})
    if vote.rule == c.RuleCode.CUSTOM:
        for name, default in (("custom_participation", "0"), ("custom_approval", "1/2")):
            try:
                _fraction(getattr(vote, name) or default)
            except ValidationError as exc:
                raise ValidationError({name: exc.messages[0]}) from None


@dataclass
class ElectorRow:
    key: str
    label: str
    area: Decimal
    dwellings: list  # [dwelling id, area as text] pairs
    people: list[int]


def build_electorate(vote: Vote, today=None) -> list[ElectorRow]:
    """Who votes, as voting keys (the electorate snapshot is this list saved when the vote opens)."""
    today = today or timezone.localdate()
    unit = vote.unit
    if vote.electorate in (c.Electorate.OWNERS, c.Electorate.HOUSEHOLDS):
        dwellings = list(Dwelling.objects.filter(unit=unit).select_related("courtyard", "building", "entrance")
                         .order_by("path", "number"))
        links = list(DwellingLink.objects.filter(dwelling__unit=unit)
                     .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
                     .filter(Q(start_date__isnull=True) | Q(start_date__lte=today))
                     .values_list("dwelling_id", "person_id", "relation"))
        if vote.electorate == c.Electorate.HOUSEHOLDS:
            people: dict[int, list[int]] = {}
            seen: set[int] = set()
            for d_id, person_id, _rel in sorted(links, key=lambda r: r[2] not in OWNER_RELATIONS):
                if person_id not in seen:
                    seen.add(person_id)
                    people.setdefault(d_id, []).append(person_id)
            return [ElectorRow(f"d{d.pk}", d.label, Decimal("0"), [(d.pk, "0")], people.get(d.pk, []))
                    for d in dwellings]
        return _owner_keys(dwellings, [(d, pid) for d, pid, rel in links if rel in OWNER_RELATIONS])
    if vote.electorate == c.Electorate.ADULTS:
        qs = Person.objects.filter(unit=unit, active=True).filter(
            Q(birth_year__isnull=True) | Q(birth_year__lte=today.year - 18)).order_by("path", "id")
        return [ElectorRow(f"p{x.pk}", x.name, Decimal("0"), [], [x.pk]) for x in qs]
    if vote.electorate == c.Electorate.REPRESENTATIVES:
        ids = set(Person.objects.filter(unit=unit, tags__code=PersonTag.REPRESENTATIVE).values_list("pk", flat=True))
        ids |= set(RoleGrant.objects.filter(unit=unit, role="representative", start_date__lte=today,
                                            user__person__isnull=False)
                   .filter(Q(end_date__isnull=True) | Q(end_date__gte=today)).values_list("user__person", flat=True))
    else:  # committee
        ids = set(BodyMembership.objects.filter(body__unit=unit, body__kind=BodyKind.COMMITTEE)
                  .filter(Q(end_date__isnull=True) | Q(end_date__gte=today)).values_list("person_id", flat=True))
    return [ElectorRow(f"p{x.pk}", x.name, Decimal("0"), [], [x.pk])
            for x in Person.objects.filter(pk__in=ids).order_by("name", "id")]


def _owner_keys(dwellings: list[Dwelling], owner_links: list[tuple[int, int]]) -> list[ElectorRow]:
    """One key per owner as the SPC interpretation (art. 9) counts them: dwellings joined by a common
    owner (co-owners; one buyer of several dwellings) are one key; the developer's unsold ones are one."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    by_id = {d.pk: d for d in dwellings}
    unsold = [d for d in dwellings if d.developer_unsold]
    for d_id, person_id in owner_links:
        if d_id in by_id and not by_id[d_id].developer_unsold:
            union(f"d{d_id}", f"p{person_id}")
    for d in unsold[1:]:
        union(f"d{unsold[0].pk}", f"d{d.pk}")
    groups: dict[str, ElectorRow] = {}
    for d in dwellings:
        root = find(f"d{d.pk}")
        row = groups.get(root)
        if row is None:
            row = groups[root] = ElectorRow("", "", Decimal("0.00"), [], [])
        row.dwellings.append((d.pk, str(d.area_m2 or Decimal("0.00"))))
        row.area += d.area_m2 or Decimal("0")
    for d_id, person_id in owner_links:
        if d_id in by_id and not by_id[d_id].developer_unsold:
            row = groups[find(f"d{d_id}")]
            if person_id not in row.people:
                row.people.append(person_id)
    out = []
    for row in groups.values():
        first = by_id[row.dwellings[0][0]]
        if first.developer_unsold:
            row.key = "developer"
            row.label = _("Developer (unsold dwellings)")
        else:
            row.key = f"o{min(row.people)}" if row.people else f"d{first.pk}"
            row.label = " · ".join(by_id[i].label for i, _a in row.dwellings)[:300]
        out.append(row)
    return out


@transaction.atomic
def open_vote(*, by: Actor, vote: Vote, now=None, at_once: bool = False) -> Vote:
    """Open a draft (or a scheduled vote whose time has come). A draft whose opening time lies in the
    future becomes `scheduled` instead: no electorate, no ballot, no notification until `open_due_votes`
    opens it. `at_once` opens it now, whatever time the draft said (ADR 0012)."""
    _require(by, p.MANAGE_VOTE, vote)
    vote = Vote.objects.select_for_update().get(pk=vote.pk)
    if vote.status not in (c.VoteStatus.DRAFT, c.VoteStatus.SCHEDULED):
        raise ValidationError(_("Only a draft vote can be opened."))
    now = now or timezone.now()
    if at_once and vote.opens_at > now:
        if vote.closes_at <= now:
            raise ValidationError(_("The vote must close after it opens."))
        record(by, "deliberation.vote.update", vote, changes={"opens_at": [vote.opens_at.isoformat(),
                                                                             now.isoformat()]})
        vote.opens_at = now
        vote.save(update_fields=["opens_at"])
    if vote.opens_at > now:
        if vote.status == c.VoteStatus.SCHEDULED:
            raise ValidationError(_("This vote is already scheduled; it opens at %(d)s.") % {
                "d": timezone.localtime(vote.opens_at).strftime("%Y-%m-%d %H:%M")})
        vote.status = c.VoteStatus.SCHEDULED
        vote.save(update_fields=["status"])
        record(by, "deliberation.vote.schedule", vote, changes={"status": ["draft", "scheduled"]})
        return vote
    if vote.closes_at <= now:
        raise ValidationError(_("The closing time has passed; change the times before opening the vote."))
    before = vote.status
    rows = build_electorate(vote, today=timezone.localdate(now))
    if not rows:
        raise ValidationError(_("Nobody is entitled to vote: check the roster."))
    Elector.objects.bulk_create([Elector(vote=vote, key=r.key, label=r.label, area_m2=r.area, dwellings=r.dwellings)
                                 for r in rows], batch_size=1000)
    ElectorPerson.objects.bulk_create([ElectorPerson(vote=vote, person_id=pid, key=r.key)
                                       for r in rows for pid in r.people], batch_size=1000)
    vote.status, vote.opened_at = c.VoteStatus.OPEN, now
    vote.save(update_fields=["status", "opened_at"])
    if vote.topic_id and vote.topic.step == c.Step.DISCUSSION:
        advance_topic(by=by, topic=vote.topic, to=c.Step.VOTING, tier=c.Tier.ASSEMBLY)
    total_area = sum((r.area for r in rows), Decimal("0"))
    record(by, "deliberation.vote.open", vote, changes={"status": [before, "open"], "electors": [None, len(rows)],
                                                         "area": [None, str(total_area)]})
    from courtyard.core.models import User

    users = User.objects.filter(person__in=[pid for r in rows for pid in r.people], is_active=True)
    notify(recipients=users, kind="deliberation.vote", title=Text(N_("A vote is open: %(t)s"), t=vote.title),
           body=Text(N_("Vote before %(d)s."), d=timezone.localtime(vote.closes_at).strftime("%Y-%m-%d %H:%M")),
           url=vote.get_absolute_url())
    return vote


def _check_choice(vote: Vote, choice):
    if vote.choice_kind == c.ChoiceKind.YES_NO:
        if choice not in t.YES_NO_CHOICES:
            raise ValidationError(_("Choose agree, disagree or abstain."))
        return choice
    chosen = [choice] if isinstance(choice, str) else list(choice)
    if len(set(chosen)) != len(chosen) or any(x not in vote.options for x in chosen):
        raise ValidationError(_("Choose among the listed options."))
    if not chosen or len(chosen) > vote.max_choices:
        raise ValidationError(_("Choose between 1 and %(n)s options.") % {"n": vote.max_choices})
    return chosen


def cast(*, by: Actor, vote: Vote, voter: Person, choice, channel: str = c.BallotChannel.ONLINE,
         confirmation: str = "", proxy_name: str = "", proxy_file=None, paper_serial: str = "", now=None,
         key: str | None = None) -> Ballot:
    """Cast (or, if the vote allows it, change) `voter`'s ballot. Exactly one current ballot per key,
    whatever the channel: the partial unique index decides races; we retry once after a clash.

    `key`: the voter's key in this vote's snapshot when the caller has just looked it up
    (`ElectorPerson` of this vote and voter); otherwise it is looked up here."""
    now = now or timezone.now()
    if not vote.is_open(now):
        raise ValidationError(_("This vote is not open."))
    choice = _check_choice(vote, choice)
    if channel not in c.BallotChannel.values:
        raise ValidationError(_("Unknown channel."))
    target = dl_rules.CastFor(vote, voter, channel, by.on_behalf_of)
    if voter is None or (by.user is None and channel == c.BallotChannel.ONLINE) or (
            by.user is not None and dl_rules.cast_refusal(by.user, target)):  # the rule `deliberation.cast_for`
        raise PermissionDenied
    if channel == c.BallotChannel.ASSISTED and not confirmation.strip():
        raise ValidationError(_("Record how the voter confirmed the choice."))
    if channel == c.BallotChannel.PROXY and (proxy_file is None or not proxy_name.strip()):
        raise ValidationError(_("A proxy ballot needs the proxy's name and the signed authorisation."))
    if key is None:
        key = ElectorPerson.objects.filter(vote=vote, person=voter).values_list("key", flat=True).first()
    if key is None:
        raise ValidationError(_("%(name)s is not in the electorate of this vote.") % {"name": voter.name})
    for attempt in range(3):
        try:
            with transaction.atomic():
                ballot = _cast_once(by, vote, key, voter, choice, channel, confirmation, proxy_name, proxy_file,
                                    paper_serial, now, fresh_read=attempt > 0)
            return ballot
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _current_ballot(vote, key, fresh_read: bool) -> int | None:
    """Locks the key's elector row and returns the pk of its current ballot, if any.

    Casts for one key queue on its elector row (other voters are not held up); this is the only lock a
    cast takes. The first attempt locks and reads in one round trip: a cast that had to wait for the
    lock reads with the snapshot its statement started with (READ COMMITTED), so it can miss the
    ballot the previous holder just committed — its INSERT then meets the partial unique index and
    `cast` retries with `fresh_read`, which reads after the lock is held and so sees every ballot of
    this key. The index stays the last word should anything bypass the lock."""
    electors = Elector.objects.select_for_update().filter(vote=vote, key=key)
    current = Ballot.objects.filter(vote=vote, voter_key=key, is_current=True).values("pk")[:1]
    if fresh_read:
        list(electors.values_list("pk", flat=True))
        return current.values_list("pk", flat=True).first()
    return electors.annotate(current=Subquery(current)).values_list("current", flat=True).first()


def _cast_once(by, vote, key, voter, choice, channel, confirmation, proxy_name, proxy_file, paper_serial, now,
               fresh_read=False):
    previous = _current_ballot(vote, key, fresh_read)
    if previous is not None:
        if not vote.allow_change:
            raise ValidationError(_("A ballot for this voter has already been cast; this vote does not allow "
                                    "changes."))
        Ballot.objects.filter(pk=previous, is_current=True).update(is_current=False, superseded_at=now)
    document = None
    if proxy_file is not None:
        document = store_upload(by=by, upload=proxy_file, allowed={"image", "pdf"}, owner=vote)
    actor = by if by.on_behalf_of or channel == c.BallotChannel.ONLINE else Actor(
        user=by.user, on_behalf_of=voter, channel="assisted" if channel == "assisted" else "offline", ip=by.ip)
    ballot = Ballot.objects.create(vote=vote, voter_key=key, voter=voter, choice=choice, channel=channel,
                                   cast_by=by.user, voter_confirmation=confirmation.strip()[:200],
                                   proxy_name=proxy_name.strip()[:50], proxy_document=document,
                                   paper_serial=paper_serial.strip()[:40], created_at=now)
    # The audit event names the channel and the key, never the choice (secret ballot).
    record(actor, "deliberation.ballot.cast", vote, community_id=vote.community_id,
           changes={"ballot": [previous, ballot.pk], "channel": [None, channel],
                    "voter_key": [None, key]})
    return ballot


@transaction.atomic
def confirm_paper(*, by: Actor, ballot: Ballot, now=None) -> Ballot:
    """Four eyes: a paper ballot counts only once a second, different person has checked it."""
    _require(by, p.KEY_BALLOTS, ballot.vote)
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if ballot.channel != c.BallotChannel.PAPER or ballot.confirmed_at or not ballot.is_current:
        raise ValidationError(_("Only a current, unconfirmed paper ballot can be confirmed."))
    if by.user is None or by.user.pk == ballot.cast_by_id:
        raise ValidationError(_("A paper ballot must be confirmed by someone other than the person who keyed it."))
    if ballot.vote.status != c.VoteStatus.OPEN:
        raise ValidationError(_("This vote is not open."))
    ballot.confirmed_by, ballot.confirmed_at = by.user, now or timezone.now()
    ballot.save(update_fields=["confirmed_by", "confirmed_at"])
    record(by, "deliberation.ballot.confirm", ballot.vote, changes={"ballot": [None, ballot.pk]},
           community_id=ballot.vote.community_id)
    return ballot


def counted_ballots(vote: Vote) -> dict[str, object]:
    """key → choice of the ballots that count: current, and confirmed if on paper."""
    qs = Ballot.objects.filter(vote=vote, is_current=True).filter(
        ~Q(channel=c.BallotChannel.PAPER) | Q(confirmed_at__isnull=False))
    return dict(qs.values_list("voter_key", "choice"))


def electors_of(vote: Vote) -> list[t.Elector]:
    return [t.Elector(k, a) for k, a in Elector.objects.filter(vote=vote).values_list("key", "area_m2")]


def compute(vote: Vote):
    """The tally of the stored ballots: a Result (yes/no) or {option: Result}."""
    electors = electors_of(vote)
    ballots = counted_ballots(vote)
    rule = vote_rule(vote)
    return t.count(electors, ballots, rule, **_count_kwargs(vote))


def _count_kwargs(vote: Vote) -> dict:
    if vote.choice_kind == c.ChoiceKind.YES_NO:
        return {"options": None, "follow_majority": vote.follow_majority}
    return {"options": list(vote.options), "follow_majority": False}


def result_json(vote: Vote, result) -> dict:
    if isinstance(result, t.Result):
        return {"kind": "yes_no", **result.as_contract(), "rule": vote.rule}
    return {"kind": vote.choice_kind, "rule": vote.rule,
            "options": {o: r.as_contract() for o, r in result.items()}}


def close_refusal(vote: Vote, now=None) -> str | None:
    """Why the vote cannot be closed and counted now, in words for staff; None when it can.
    Counting is allowed at or after the closing time; earlier only where the unit's rules allow it, or
    once every elector has a ballot that counts and can no longer change."""
    now = now or timezone.now()
    if vote.status != c.VoteStatus.OPEN:
        return _("Only an open vote can be closed.")
    if now >= vote.closes_at or vote.may_close_early:
        return None
    if not vote.allow_change:
        electors = Elector.objects.filter(vote=vote).count()
        if electors and len(counted_ballots(vote)) >= electors:
            return None
    return _("Counting starts at the closing time, %(d)s. The unit's rules do not allow closing this vote "
             "early.") % {"d": timezone.localtime(vote.closes_at).strftime("%Y-%m-%d %H:%M")}


@transaction.atomic
def close_vote(*, by: Actor, vote: Vote, now=None) -> Vote:
    _require(by, p.MANAGE_VOTE, vote)
    vote = Vote.objects.select_for_update().get(pk=vote.pk)
    if vote.status != c.VoteStatus.OPEN:
        raise ValidationError(_("Only an open vote can be closed."))
    now = now or timezone.now()
    reason = close_refusal(vote, now) if by.user is not None else None
    if reason:
        raise ValidationError(reason)
    result = compute(vote)
    vote.status, vote.closed_at, vote.result = c.VoteStatus.CLOSED, now, result_json(vote, result)
    vote.save(update_fields=["status", "closed_at", "result"])
    record(by, "deliberation.vote.close", vote, changes={"status": ["open", "closed"], "result": [None, vote.result]})
    publish_notice(by=by, unit=vote.unit, kind=c.NoticeKind.RESULT, vote=vote, topic=vote.topic,
                   title=_("Result: %(t)s") % {"t": vote.title}, body=result_text(vote), decided_at=now,
                   published_at=max(now, timezone.now()) if by.user is not None else now)
    if vote.topic_id and vote.topic.step == c.Step.VOTING:
        advance_topic(by=by, topic=vote.topic, to=c.Step.PUBLICITY,
                      decision=_("Passed") if vote.result.get("passed") else _("Not passed"))
    if vote.document_version_id and vote.result.get("passed"):
        adopt_version(by=by, version=vote.document_version)
    return vote


def result_text(vote: Vote) -> str:
    r = vote.result or {}
    if r.get("kind") != "yes_no":
        lines = [f"{o}: {x['approval']['owners']}" for o, x in r.get("options", {}).items()]
        return "\n".join(lines)
    return _(
        "Electorate: %(ta)s m², %(tn)s voters. Took part: %(pa)s m², %(pn)s voters. In favour: %(aa)s m², "
        "%(an)s voters. The decision %(outcome)s."
    ) % {"ta": r["total"]["area"], "tn": r["total"]["owners"], "pa": r["participation"]["area"],
         "pn": r["participation"]["owners"], "aa": r["approval"]["area"], "an": r["approval"]["owners"],
         "outcome": _("passed") if r["passed"] else _("did not pass")}


def export_contract(vote: Vote) -> dict:
    """The vote in the `manage.py tally` input format: the rule spec the app counts with (rule_spec), the
    electorate snapshot, the counted ballots (yes/no, or the chosen option lists)."""
    dwellings = []
    for e in Elector.objects.filter(vote=vote).order_by("id"):
        if vote.electorate != c.Electorate.OWNERS or not e.dwellings:
            dwellings.append({"id": e.key, "area": str(e.area_m2), "owner": e.key})
            continue
        for d_id, area in e.dwellings:  # the areas of the snapshot, not today's
            dwellings.append({"id": str(d_id), "area": area, "owner": e.key})
    how = _count_kwargs(vote)
    field = "choice" if how["options"] is None else "choices"
    ballots = [{"owner": k, field: v} for k, v in sorted(counted_ballots(vote).items())]
    out = {**rule_spec(vote), "follow_majority": how["follow_majority"]}
    if how["options"] is not None:
        out["options"] = how["options"]
    return {**out, "dwellings": dwellings, "ballots": ballots}


# ================================================================ notices (DLB-8)
@transaction.atomic
def publish_notice(*, by: Actor, unit, kind: str, title: str, body: str, decided_at, period_days: int = 7,
                   topic=None, vote=None, meeting=None, published_at=None) -> Notice:
    _require(by, p.PUBLISH, unit) if kind not in (c.NoticeKind.RESULT, c.NoticeKind.DECISION) else None
    notice = Notice.objects.create(unit=unit, kind=kind, title=title[:150], body=body, decided_at=decided_at,
                                   period_days=period_days, topic=topic, vote=vote, meeting=meeting,
                                   published_by=by.user, published_at=published_at or timezone.now())
    record(by, "deliberation.notice.publish", notice, changes=diff(None, snapshot(notice, fields=[
        "kind", "title", "decided_at", "published_at", "period_days"])))
    return notice


@transaction.atomic
def publish_by_hand(*, by: Actor, unit, kind: str, title: str, body: str, decided_at,
                    period_days: int = 7) -> Notice:
    """A notice published by staff from the console (announcements and decisions taken elsewhere)."""
    _require(by, p.PUBLISH, unit)
    if kind not in (c.NoticeKind.ANNOUNCEMENT, c.NoticeKind.DECISION):
        raise ValidationError(_("Results, minutes and adopted documents are published by their own steps."))
    if not title.strip() or not body.strip():
        raise ValidationError(_("A notice needs a title and a text."))
    if decided_at > timezone.now():
        raise ValidationError(_("The decision date cannot lie in the future."))
    if not 1 <= period_days <= 90:
        raise ValidationError(_("The notice period lies between 1 and 90 days."))
    return publish_notice(by=by, unit=unit, kind=kind, title=title.strip(), body=body.strip(), decided_at=decided_at,
                          period_days=period_days)


@transaction.atomic
def object_to_notice(*, by: Actor, notice: Notice, body: str) -> Topic:
    """An objection during the notice period opens a topic (DLB-8)."""
    if not notice.in_period():
        raise ValidationError(_("The notice period has ended."))
    person = by.on_behalf_of or (by.user.person if by.user else None)
    if person is None or person.unit_id != notice.unit_id:
        raise PermissionDenied
    topic = Topic.objects.create(unit=notice.unit, title=(_("Objection: %(t)s") % {"t": notice.title})[:120],
                                 body=body.strip() or notice.title, raised_by=person, entered_by=by.user,
                                 offline_entry=by.on_behalf_of is not None)
    Objection.objects.create(notice=notice, topic=topic)
    record(by, "deliberation.notice.object", notice, changes={"topic": [None, topic.pk]})
    return topic


# ================================================================ meetings (DLB-7)
@transaction.atomic
def create_meeting(*, by: Actor, unit, kind: str, title: str, starts_at, location: str = "", agenda=(),
                   invite=()) -> Meeting:
    _require(by, p.MANAGE_MEETING, unit)
    title, location = title.strip(), location.strip()
    if not title:
        raise ValidationError(_("A meeting needs a title."))
    if kind not in c.MeetingKind.values:
        raise ValidationError(_("Choose the kind of meeting."))
    agenda = list(agenda)
    if any(x.unit_id != unit.pk for x in agenda):
        raise ValidationError(_("Agenda topics must belong to the meeting's unit."))
    if any(x.step == c.Step.CLOSED or x.hidden for x in agenda):
        raise ValidationError(_("Only open topics can be put on the agenda."))
    meeting = Meeting.objects.create(unit=unit, kind=kind, title=title[:150], starts_at=starts_at,
                                     location=location[:150], signin_token=secrets.token_urlsafe(16)[:22],
                                     created_by=by.user)
    meeting.agenda.set(agenda)
    record(by, "deliberation.meeting.create", meeting, changes={**diff(None, snapshot(meeting, fields=[
        "kind", "title", "starts_at", "location"])), "agenda": [None, [x.pk for x in agenda]]})
    notify(recipients=list(invite), kind="deliberation.meeting", title=Text(N_("Invitation: %(t)s"), t=title),
           body=Text(N_("%(when)s at %(where)s"), when=timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M"),
                     where=location), url="")
    return meeting


@transaction.atomic
def sign_in(*, by: Actor, meeting: Meeting, person: Person, method: str = "desk") -> Attendance:
    if person.unit_id != meeting.unit_id:
        raise ValidationError(_("%(name)s does not live in this unit.") % {"name": person.name})
    if method == "desk":
        _require(by, p.MANAGE_MEETING, meeting)
    elif by.user is None or by.user.person_id != person.pk:
        raise PermissionDenied
    att, created = Attendance.objects.get_or_create(meeting=meeting, person=person,
                                                    defaults={"method": method, "recorded_by": by.user})
    if created:
        record(by, "deliberation.meeting.sign_in", meeting, changes={"person": [None, person.pk],
                                                                     "method": [None, method]})
    return att


@transaction.atomic
def sign_in_desk(*, by: Actor, meeting: Meeting, people) -> int:
    """The desk list: signs several people in at once (all or none); returns how many were new."""
    _require(by, p.MANAGE_MEETING, meeting)
    people = list(people)
    if not people:
        raise ValidationError(_("Tick at least one person."))
    before = set(meeting.attendance.values_list("person_id", flat=True))
    for person in people:
        sign_in(by=by, meeting=meeting, person=person, method="desk")
    return len({x.pk for x in people} - before)


@transaction.atomic
def record_minutes(*, by: Actor, meeting: Meeting, minutes: str, resolutions=(), publish: bool = True) -> Meeting:
    """Minutes and resolutions (each optionally linked to a topic); published as a notice."""
    _require(by, p.MANAGE_MEETING, meeting)
    meeting = Meeting.objects.select_for_update().select_related("unit").get(pk=meeting.pk)
    if not minutes.strip():
        raise ValidationError(_("Write the minutes first."))
    if meeting.minutes_at is not None:
        raise ValidationError(_("The minutes of this meeting were already recorded."))
    resolutions = [(topic, text) for topic, text in resolutions if text.strip()]
    if any(topic is not None and topic.unit_id != meeting.unit_id for topic, _text in resolutions):
        raise ValidationError(_("A resolution can only be linked to a topic of the meeting's unit."))
    meeting.minutes, meeting.minutes_at = minutes.strip(), timezone.now()
    meeting.save(update_fields=["minutes", "minutes_at"])
    for topic, text in resolutions:
        Resolution.objects.create(meeting=meeting, topic=topic, text=text.strip())
    record(by, "deliberation.meeting.minutes", meeting, changes={"resolutions": [None, len(resolutions)]})
    if publish:
        publish_notice(by=by, unit=meeting.unit, kind=c.NoticeKind.MINUTES, meeting=meeting,
                       title=_("Minutes: %(t)s") % {"t": meeting.title}, body=meeting.minutes,
                       decided_at=meeting.starts_at)
    return meeting


def missed_cadences(unit, today=None) -> list[dict]:
    """Meeting kinds with a cadence whose last meeting is older than the cadence allows (DLB-7)."""
    today = today or timezone.localdate()
    out = []
    lasts = dict(Meeting.objects.filter(unit=unit, starts_at__date__lte=today).order_by().values("kind")
                 .annotate(last=Max("starts_at")).values_list("kind", "last"))
    for kind, days in c.MEETING_CADENCE_DAYS.items():
        if days is None:
            continue
        last = lasts.get(kind)
        overdue = last is None or (today - timezone.localtime(last).date()).days > days
        if overdue:
            out.append({"kind": c.MeetingKind(kind).label, "days": days,
                        "last": timezone.localtime(last).date() if last else None})
    return out


# ================================================================ documents (DLB-6)
@transaction.atomic
def new_version(*, by: Actor, unit=None, document: Document | None = None, kind: str = "", title: str = "",
                text: str, note: str = "", status: str = c.VersionStatus.DRAFT, comments_until=None) -> DocumentVersion:
    if not text.strip():
        raise ValidationError(_("A version needs its text."))
    if status not in c.VersionStatus.values or status == c.VersionStatus.ADOPTED:
        raise ValidationError(_("A new version starts as a draft, open for comments or consolidated; it is "
                                "adopted by a vote."))
    if document is None:
        _require(by, p.MANAGE_TOPIC, unit)
        if not title.strip() or kind not in c.DocumentKind.values:
            raise ValidationError(_("A document needs a kind and a title."))
        document = Document.objects.create(unit=unit, kind=kind, title=title.strip()[:150])
    else:
        _require(by, p.MANAGE_TOPIC, document)
        document = Document.objects.select_for_update().get(pk=document.pk)
    number = (document.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = DocumentVersion.objects.create(document=document, number=number, text=text.strip(), note=note,
                                             status=status, comments_until=comments_until, created_by=by.user)
    record(by, "deliberation.document.version", document, changes={"version": [None, number], "status": [None, status]})
    return version


@transaction.atomic
def open_comments(*, by: Actor, version: DocumentVersion, until) -> DocumentVersion:
    """Opens the comment period of a draft until `until` (residents comment on its sections)."""
    _require(by, p.MANAGE_TOPIC, version.document)
    version = DocumentVersion.objects.select_for_update().select_related("document").get(pk=version.pk)
    if version.status not in (c.VersionStatus.DRAFT, c.VersionStatus.CONSOLIDATED):
        raise ValidationError(_("Only a draft or a consolidated draft can be opened for comments."))
    if until is None or until <= timezone.now():
        raise ValidationError(_("The comment period must end in the future."))
    before = snapshot(version, fields=["status", "comments_until"])
    version.status, version.comments_until = c.VersionStatus.COMMENTS, until
    version.save(update_fields=["status", "comments_until"])
    record(by, "deliberation.document.comments_open", version.document,
           changes={**diff(before, snapshot(version, fields=["status", "comments_until"])),
                    "version": [None, version.number]})
    return version


@transaction.atomic
def consolidate(*, by: Actor, version: DocumentVersion, text: str, note: str = "") -> DocumentVersion:
    """The consolidated draft: a new version built from `version` and its comments; the commented one
    is closed for comments and superseded."""
    _require(by, p.MANAGE_TOPIC, version.document)
    version = DocumentVersion.objects.select_for_update().select_related("document").get(pk=version.pk)
    if version.status not in (c.VersionStatus.DRAFT, c.VersionStatus.COMMENTS):
        raise ValidationError(_("Only a draft or a version open for comments can be consolidated."))
    if not note.strip():
        note = _("Consolidated from version %(n)s (%(k)s comments)") % {"n": version.number,
                                                                        "k": version.comments.count()}
    new = new_version(by=by, document=version.document, text=text, note=note.strip()[:200],
                      status=c.VersionStatus.CONSOLIDATED)
    version.status = c.VersionStatus.SUPERSEDED
    version.save(update_fields=["status"])
    record(by, "deliberation.document.consolidate", version.document,
           changes={"from": [None, version.number], "to": [None, new.number]})
    return new


@transaction.atomic
def start_document_vote(*, by: Actor, version: DocumentVersion, opens_at, closes_at,
                        rule: str = c.RuleCode.ART278_ORDINARY, electorate: str = c.Electorate.OWNERS,
                        notice_days: int = 7) -> Vote:
    """The final vote on a version (a draft vote; opened from the vote page). Adopted if it passes."""
    document = version.document
    _require(by, p.MANAGE_VOTE, document)
    if version.status not in (c.VersionStatus.DRAFT, c.VersionStatus.CONSOLIDATED):
        raise ValidationError(_("The final vote is on a draft or a consolidated draft, after the comment period."))
    if version.votes.exclude(status=c.VoteStatus.CANCELLED).exists():
        raise ValidationError(_("This version already has a vote."))
    return create_vote(by=by, unit=document.unit, document_version=version, opens_at=opens_at, closes_at=closes_at,
                       title=(_("Adopt: %(t)s (version %(n)s)") % {"t": document.title, "n": version.number})[:120],
                       description=version.note, rule=rule, electorate=electorate, notice_days=notice_days)


@transaction.atomic
def comment_section(*, by: Actor, version: DocumentVersion, section: str, body: str) -> DocumentComment:
    if version.status != c.VersionStatus.COMMENTS or (version.comments_until and timezone.now() > version.comments_until):
        raise ValidationError(_("This draft is not open for comments."))
    person = by.user.person if by.user else None
    if person is None or person.unit_id != version.document.unit_id:
        raise PermissionDenied
    if not body.strip():
        raise ValidationError(_("Write a comment first."))
    if section not in {head for head, _body in version.sections()}:
        raise ValidationError(_("Choose a section of the text."))
    comment = DocumentComment.objects.create(version=version, section=section[:150], author=by.user, body=body.strip())
    record(by, "deliberation.document.comment", version.document, changes={"comment": [None, comment.pk]})
    return comment


@transaction.atomic
def adopt_version(*, by: Actor, version: DocumentVersion) -> DocumentVersion:
    document = version.document
    document.versions.filter(status=c.VersionStatus.ADOPTED).update(status=c.VersionStatus.SUPERSEDED)
    version.status = c.VersionStatus.ADOPTED
    version.save(update_fields=["status"])
    document.adopted_version = version
    document.save(update_fields=["adopted_version"])
    record(by, "deliberation.document.adopt", document, changes={"adopted_version": [None, version.number]})
    publish_notice(by=Actor.system() if by.user is None else by, unit=document.unit, kind=c.NoticeKind.DOCUMENT,
                   title=_("Adopted: %(t)s (version %(n)s)") % {"t": document.title, "n": version.number},
                   body=version.text, decided_at=timezone.now())
    return version


def diff_versions(a: DocumentVersion, b: DocumentVersion) -> list[tuple[str, str]]:
    """Line diff as (op, text) with op in "same", "removed", "added" — rendered as <del>/<ins> with labels."""
    out = []
    for line in difflib.ndiff(a.text.splitlines(), b.text.splitlines()):
        op, text = line[:2], line[2:]
        if op == "  ":
            out.append(("same", text))
        elif op == "- ":
            out.append(("removed", text))
        elif op == "+ ":
            out.append(("added", text))
    return out


# ================================================================ representatives (DLB-3)
def person_groups(person: Person, today=None) -> set[str]:
    today = today or timezone.localdate()
    groups = set()
    age = person.age(today)
    if age is not None:
        groups.add(c.QuotaGroup.YOUNG if age < 40 else c.QuotaGroup.MIDDLE if age < 60 else c.QuotaGroup.OLD)
    # .all() so a prefetched `links` serves the whole candidate list without a query per person
    if person.residence_status == "floating" or any(x.relation == "tenant" for x in person.links.all()):
        groups.add(c.QuotaGroup.TENANT)
    tags = {tg.code for tg in person.tags.all()}
    if "merchant" in tags:
        groups.add(c.QuotaGroup.MERCHANT)
    if tags & {"veteran", "party_member", "professional"}:
        groups.add(c.QuotaGroup.SPECIAL)
    return groups


def quota_status(unit, people) -> list[dict]:
    counts: dict[str, int] = {}
    for person in people:
        for g in person_groups(person):
            counts[g] = counts.get(g, 0) + 1
    return [{"group": q.group, "label": c.QuotaGroup(q.group).label, "minimum": q.minimum,
             "count": counts.get(q.group, 0), "met": counts.get(q.group, 0) >= q.minimum}
            for q in RepresentativeQuota.objects.filter(unit=unit).order_by("group")]


@transaction.atomic
def set_quota(*, by: Actor, unit, group: str, minimum: int) -> RepresentativeQuota:
    _require(by, p.MANAGE_TOPIC, unit)
    if group not in c.QuotaGroup.values:
        raise ValidationError(_("Unknown group."))
    if not 0 <= minimum <= 99:
        raise ValidationError(_("A quota lies between 0 and 99."))
    old = RepresentativeQuota.objects.filter(unit=unit, group=group).values_list("minimum", flat=True).first()
    q, _created = RepresentativeQuota.objects.update_or_create(unit=unit, group=group, defaults={"minimum": minimum,
                                                                                               "community_id":
                                                                                               unit.community_id})
    record(by, "deliberation.quota.set", unit, changes={group: [old, minimum]}, community_id=unit.community_id)
    return q


@transaction.atomic
def set_quotas(*, by: Actor, unit, minimums: dict[str, int]) -> list[RepresentativeQuota]:
    """Edits all the quotas of a unit at once (all or none); 0 means no minimum for the group."""
    _require(by, p.MANAGE_TOPIC, unit)
    current = dict(RepresentativeQuota.objects.filter(unit=unit).values_list("group", "minimum"))
    return [set_quota(by=by, unit=unit, group=g, minimum=m) for g, m in minimums.items()
            if current.get(g, 0) != m]


@transaction.atomic
def confirm_panel(*, by: Actor, unit, people, reason: str = "") -> RepresentativePanel:
    """Refuses a panel that breaks a quota unless a reason is recorded (DLB-3)."""
    _require(by, p.MANAGE_TOPIC, unit)
    people = list(people)
    if any(x.unit_id != unit.pk for x in people):
        raise ValidationError(_("Every representative must live in this unit."))
    unmet = [s["group"] for s in quota_status(unit, people) if not s["met"]]
    if unmet and not reason.strip():
        raise ValidationError(_("The panel leaves quotas unmet (%(groups)s); record a reason to confirm it anyway.")
                              % {"groups": ", ".join(str(c.QuotaGroup(g).label) for g in unmet)})
    panel = RepresentativePanel.objects.create(unit=unit, confirmed_at=timezone.now(), confirmed_by=by.user,
                                               unmet_quotas=unmet, override_reason=reason.strip()[:300])
    panel.members.set(people)
    record(by, "deliberation.panel.confirm", panel, changes={"members": [None, [x.pk for x in people]],
                                                            "unmet": [None, unmet]}, note=reason)
    return panel
