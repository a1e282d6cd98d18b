"""Votes (DLB-4, DLB-5, DLB-9): rules, electorate, opening, counting, closing, results; votes on documents."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from courtyard.core.audit import Actor, diff, record, snapshot
from courtyard.core.notify import Text, notify
from courtyard.org.choices import OWNER_RELATIONS, BodyKind, PersonTag
from courtyard.org.models import BodyMembership, Dwelling, DwellingLink, Person, RoleGrant

from .. import choices as c
from .. import permissions as p
from .. import tally as t
from ..models import Ballot, DocumentVersion, Elector, ElectorPerson, Vote
from ._common import _require
from .documents import adopt_version
from .notices import publish_notice
from .topics import advance_topic


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
        ids |= set(RoleGrant.objects.in_force(on=today).filter(unit=unit, role="representative",
                                                                user__person__isnull=False)
                   .values_list("user__person", flat=True))
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
    if vote.choice_kind == c.ChoiceKind.MULTIPLE:  # a committee election's ballot (ORG-9)
        from .elections import decide_election

        decide_election(by=by, vote=vote, now=now)
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
