"""Committee elections (ORG-9): nominations with consent, a candidate list checked for diversity, a
contested ballot on the vote machinery, the result and the committee formed from the winners.

Steps: nominating → listed (the list is confirmed) → voting (an ordinary `Vote`: several options, up to
`seats` choices, electorate households or adults) → decided (when that vote closes, `decide_election`
runs inside `close_vote`). Nobody is appointed: the list holds only nominees who consented, and the
committee is formed only from the winners counted by `election_count.elect`."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from courtyard.core.audit import Actor, diff, record, snapshot
from courtyard.core.notify import Text, notify
from courtyard.org import services as org_services
from courtyard.org.choices import BodyKind
from courtyard.org.models import BodyMembership, GovernanceBody, PartyOrg, Person

from .. import choices as c
from .. import election_count as ec
from .. import permissions as p
from .. import rules as dl_rules
from ..election_models import Election, Nomination
from ._common import _require
from .notices import publish_notice
from .votes import create_vote, open_vote

OPEN_NOMINATION = (c.NominationStatus.AWAITING, c.NominationStatus.CONSENTED)


def _field_error(field: str, message: str) -> ValidationError:
    return ValidationError({field: message})


@transaction.atomic
def create_election(*, by: Actor, unit, title: str, seats: int, nominations_close, term_years: int = 3,
                    body_kind: str = BodyKind.COMMITTEE, by_election: bool = False,
                    electorate: str = c.Electorate.HOUSEHOLDS, participation: str = "1/2", joint_minimum: int = 5,
                    quotas: dict | None = None, now=None) -> Election:
    _require(by, p.MANAGE_VOTE, unit)
    now = now or timezone.now()
    if not title.strip():
        raise _field_error("title", _("Give the election a title."))
    if body_kind not in dict(c.ELECTED_BODIES):
        raise _field_error("body_kind", _("Choose the committee or the supervisory board."))
    if not 1 <= seats <= 25:
        raise _field_error("seats", _("A committee has between 1 and 25 seats."))
    if not 1 <= term_years <= 5:
        raise _field_error("term_years", _("A term lasts between 1 and 5 years."))
    if electorate not in c.ELECTION_ELECTORATES:
        raise _field_error("electorate", _("The committee is elected by households or by adult residents."))
    if not 1 <= joint_minimum <= 50:
        raise _field_error("joint_minimum", _("A joint nomination needs between 1 and 50 residents."))
    try:
        share = Fraction(str(participation).strip().replace("／", "/"))
    except (ValueError, ZeroDivisionError):
        share = Fraction(-1)
    if not 0 <= share <= 1:
        raise _field_error("participation", _("“%(value)s” is not a fraction such as 1/2.") % {"value": participation})
    if nominations_close <= now:
        raise _field_error("nominations_close", _("Nominations must close in the future."))
    clean = {}
    for group, minimum in (quotas or {}).items():
        if group not in c.DiversityGroup.values or not 0 <= int(minimum) <= seats:
            raise _field_error("quotas", _("A quota lies between 0 and the number of seats."))
        if int(minimum):
            clean[group] = int(minimum)
    election = Election.objects.create(
        unit=unit, title=title.strip()[:120], body_kind=body_kind, by_election=bool(by_election), seats=seats, nominations_close=nominations_close, term_years=term_years,
        electorate=electorate, participation=f"{share.numerator}/{share.denominator}", joint_minimum=joint_minimum,
        quotas=clean, created_by=by.user)
    record(by, "deliberation.election.create", election, changes=diff(None, snapshot(election, fields=[
        "title", "body_kind", "by_election", "seats", "electorate", "participation", "term_years", "nominations_close", "quotas"])))
    return election


def _resident_of(election: Election, person: Person, today: dt.date) -> bool:
    return person.unit_id == election.unit_id and person.active and (
        person.birth_year is None or person.birth_year <= today.year - 18)


@transaction.atomic
def nominate(*, by: Actor, election: Election, nominee: Person, kind: str, occupation: str, statement: str = "",
             nominators=(), party_org: PartyOrg | None = None, now=None) -> Nomination:
    """Self-nomination (the resident online, consent given by nominating), joint nomination (at least
    `joint_minimum` adult residents of the unit, keyed by staff from the signed form) or nomination by
    the party group (staff). The nominee of a joint or party nomination must still consent."""
    now = now or timezone.now()
    election = Election.objects.select_for_update().get(pk=election.pk)
    if kind == c.NominationKind.SELF:
        if by.user is None or by.user.person_id != nominee.pk or by.on_behalf_of is not None:
            raise PermissionDenied
    else:
        _require(by, p.MANAGE_VOTE, election)
    if election.status != c.ElectionStatus.NOMINATING or now >= election.nominations_close:
        raise ValidationError(_("Nominations for this election are closed."))
    today = timezone.localdate(now)
    if not _resident_of(election, nominee, today):
        raise _field_error("nominee", _("%(name)s is not an adult resident of this unit.") % {"name": nominee.name})
    if occupation not in c.Occupation.values:
        raise _field_error("occupation", _("Choose an occupation."))
    if Nomination.objects.filter(election=election, nominee=nominee).exists():
        raise _field_error("nominee", _("%(name)s has already been nominated.") % {"name": nominee.name})
    supporters: list[int] = []
    if kind == c.NominationKind.JOINT:
        people = list(nominators)
        supporters = sorted({x.pk for x in people})
        if any(not _resident_of(election, x, today) for x in people):
            raise _field_error("nominators", _("Every nominator must be an adult resident of this unit."))
        if nominee.pk in supporters:
            raise _field_error("nominators", _("The nominee cannot be one of the nominators."))
        if len(supporters) < election.joint_minimum:
            raise _field_error("nominators", _("A joint nomination needs at least %(n)s residents; %(k)s given.")
                               % {"n": election.joint_minimum, "k": len(supporters)})
    elif kind == c.NominationKind.PARTY:
        if party_org is None or party_org.community_id != election.community_id:
            raise _field_error("party_org", _("Choose the party organisation of this community that nominates."))
    elif kind != c.NominationKind.SELF:
        raise _field_error("kind", _("Unknown kind of nomination."))
    consented = kind == c.NominationKind.SELF
    nomination = Nomination.objects.create(
        election=election, nominee=nominee, kind=kind, nominators=supporters,
        party_org=party_org if kind == c.NominationKind.PARTY else None, occupation=occupation,
        statement=statement.strip()[:500], created_by=by.user,
        status=c.NominationStatus.CONSENTED if consented else c.NominationStatus.AWAITING,
        consent_at=now if consented else None, consent_channel="online" if consented else "")
    record(by, "deliberation.nomination.create", nomination, community_id=election.community_id,
           changes={"nominee": [None, nominee.pk], "kind": [None, kind], "nominators": [None, len(supporters)]})
    if not consented:
        from courtyard.core.models import User

        notify(recipients=User.objects.filter(person=nominee, is_active=True), kind="deliberation.nomination",
               title=Text(N_("You have been nominated: %(t)s"), t=election.title),
               body=Text(N_("Please say whether you agree to stand as a candidate.")),
               url=election.get_absolute_url())
    return nomination


@transaction.atomic
def answer_nomination(*, by: Actor, nomination: Nomination, accept: bool, now=None) -> Nomination:
    """The nominee consents or declines — online themselves, or staff record the signed paper form."""
    now = now or timezone.now()
    nomination = Nomination.objects.select_for_update().select_related("election", "nominee").get(pk=nomination.pk)
    election = nomination.election
    if by.user is not None and by.user.person_id == nomination.nominee_id and by.on_behalf_of is None:
        channel = "online"
    elif by.user is not None and dl_rules.allowed(by.user, p.KEY_BALLOTS, election):
        channel = "paper"
    else:
        raise PermissionDenied
    if election.status != c.ElectionStatus.NOMINATING:
        raise ValidationError(_("The candidate list is already confirmed."))
    if nomination.status != c.NominationStatus.AWAITING:
        raise ValidationError(_("This nomination has already been answered."))
    nomination.status = c.NominationStatus.CONSENTED if accept else c.NominationStatus.DECLINED
    nomination.consent_at, nomination.consent_channel = now, channel
    nomination.consent_recorded_by = by.user
    nomination.save(update_fields=["status", "consent_at", "consent_channel", "consent_recorded_by"])
    actor = by if channel == "online" else Actor(user=by.user, on_behalf_of=nomination.nominee, channel="offline",
                                                 ip=by.ip)
    record(actor, "deliberation.nomination.answer", nomination, community_id=election.community_id,
           changes={"nominee": [None, nomination.nominee_id], "status": ["awaiting", nomination.status]})
    return nomination


# ---------------------------------------------------------------- the candidate list
def candidate_groups(nomination: Nomination, today: dt.date) -> set[str]:
    person = nomination.nominee
    groups: set[str] = set()
    if person.gender == "F":
        groups.add(c.DiversityGroup.WOMEN)
    age = person.age(today)
    if age is not None:
        groups.add(c.DiversityGroup.YOUNG if age < 40 else c.DiversityGroup.MIDDLE if age < 60
                   else c.DiversityGroup.OLD)
    if person.residence_status == "floating" or any(x.relation == "tenant" for x in person.links.all()):
        groups.add(c.DiversityGroup.TENANT)
    return groups


def candidates(election: Election):
    return (Nomination.objects.filter(election=election, status=c.NominationStatus.CONSENTED)
            .select_related("nominee__home__courtyard", "nominee__home__building", "nominee__home__entrance")
            .prefetch_related("nominee__links").order_by("created_at", "id"))


def diversity(election: Election, people=None, today=None) -> list[dict]:
    """Each diversity group: how many candidates belong to it, the quota, whether it is met. The
    occupation group counts different occupations among the candidates."""
    today = today or timezone.localdate()
    people = list(candidates(election) if people is None else people)
    counts = {g: 0 for g in c.DiversityGroup.values}
    for n in people:
        for g in candidate_groups(n, today):
            counts[g] += 1
    counts[c.DiversityGroup.OCCUPATIONS] = len({n.occupation for n in people})
    out = []
    for group in c.DiversityGroup:
        minimum = int(election.quotas.get(group.value, 0))
        out.append({"group": group.value, "label": group.label, "count": counts[group.value], "minimum": minimum,
                    "met": counts[group.value] >= minimum})
    return out


def _ballot_names(people: list[Nomination]) -> list[str]:
    """The option text of each candidate: the name, with the building when two share a name."""
    names = [n.nominee.name for n in people]
    out = []
    for n in people:
        label = n.nominee.name
        if names.count(label) > 1:
            label = f"{label}（{n.nominee.home.label if n.nominee.home_id else n.nominee.pk}）"
        out.append(label[:80])
    if len(set(out)) != len(out):
        raise ValidationError(_("Two candidates cannot be told apart on the ballot."))
    return out


@transaction.atomic
def confirm_list(*, by: Actor, election: Election, reason: str = "", now=None) -> Election:
    """Closes nominations: the consenting nominees become the candidates. A contested election needs more
    candidates than seats; a list that leaves a diversity quota unmet needs a recorded reason."""
    _require(by, p.MANAGE_VOTE, election)
    now = now or timezone.now()
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.status != c.ElectionStatus.NOMINATING:
        raise ValidationError(_("The candidate list is already confirmed."))
    if now < election.nominations_close and by.user is not None:
        raise ValidationError(_("Nominations are open until %(d)s.") % {
            "d": timezone.localtime(election.nominations_close).strftime("%Y-%m-%d %H:%M")})
    people = list(candidates(election))
    if len(people) <= election.seats:
        raise ValidationError(_("A contested election needs more candidates than seats: %(n)s candidates for "
                                "%(s)s seats.") % {"n": len(people), "s": election.seats})
    unmet = [d["group"] for d in diversity(election, people, timezone.localdate(now)) if not d["met"]]
    if unmet and not reason.strip():
        raise ValidationError({"reason": _(
            "The list leaves quotas unmet (%(groups)s); record a reason to confirm it anyway.") % {
            "groups": "、".join(str(c.DiversityGroup(g).label) for g in unmet)}})
    for n, name in zip(people, _ballot_names(people), strict=True):
        n.ballot_name = name
        n.save(update_fields=["ballot_name"])
    election.status, election.list_confirmed_at, election.list_confirmed_by = c.ElectionStatus.LISTED, now, by.user
    election.list_unmet, election.list_reason = unmet, reason.strip()[:300]
    election.save(update_fields=["status", "list_confirmed_at", "list_confirmed_by", "list_unmet", "list_reason"])
    record(by, "deliberation.election.list", election,
           changes={"status": ["nominating", "listed"], "candidates": [None, [n.nominee_id for n in people]],
                    "unmet": [None, unmet]}, note=reason.strip())
    return election


@transaction.atomic
def start_ballot(*, by: Actor, election: Election, opens_at, closes_at, now=None) -> Election:
    """The ballot is a Vote of the unit: several options (the candidates), up to `seats` choices; a
    participation share from the charter; a candidate needs more than half of the ballots cast."""
    _require(by, p.MANAGE_VOTE, election)
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.status != c.ElectionStatus.LISTED:
        raise ValidationError(_("Confirm the candidate list before the ballot."))
    names = [n.ballot_name for n in candidates(election)]
    vote = create_vote(
        by=by, unit=election.unit, title=election.title[:120], opens_at=opens_at, closes_at=closes_at,
        description=_("Choose up to %(n)s candidates. A candidate needs the votes of more than half of those who "
                      "vote.") % {"n": election.seats},
        electorate=election.electorate, choice_kind=c.ChoiceKind.MULTIPLE, options=names,
        max_choices=election.seats, rule=c.RuleCode.CUSTOM, custom_participation=election.participation,
        custom_approval="1/2", custom_approval_strict=True)
    vote = open_vote(by=by, vote=vote, now=now)
    election.vote, election.status = vote, c.ElectionStatus.VOTING
    election.save(update_fields=["vote", "status"])
    record(by, "deliberation.election.ballot", election, changes={"status": ["listed", "voting"],
                                                                   "vote": [None, vote.pk]})
    return election


def term_end(start: dt.date, years: int) -> dt.date:
    """The last day of a term of `years` starting on `start` (a term from 29 February ends on 27 February)."""
    day = min(start.day, 28) if start.month == 2 else start.day
    return dt.date(start.year + years, start.month, day) - dt.timedelta(days=1)


def decide_election(*, by: Actor, vote, now=None) -> Election | None:
    """Called by `close_vote` once an election's vote is counted: who is elected, the term, the
    committee formed from the winners (org's governance body), the published result."""
    election = Election.objects.select_for_update().filter(vote=vote).first()
    if election is None or election.status != c.ElectionStatus.VOTING:
        return election
    now = now or timezone.now()
    people = list(candidates(election))
    outcome = ec.from_result(vote.result or {}, [n.ballot_name for n in people], election.seats)
    by_name = {n.ballot_name: n for n in people}
    votes = {o: r["approval"]["owners"] for o, r in (vote.result or {}).get("options", {}).items()}
    start = timezone.localdate(now)
    end = term_end(start, election.term_years)
    election.outcome = {**outcome.as_json(), "votes": votes,
                        "winner_ids": [by_name[w].nominee_id for w in outcome.winners]}
    election.status, election.decided_at = c.ElectionStatus.DECIDED, now
    if outcome.winners:
        election.term_start, election.term_end = start, end
        election.body = _form_committee(by, election, [by_name[w].nominee for w in outcome.winners], start, end)
        if election.by_election and election.body.term_end:  # a by-election fills seats until the term ends
            election.term_end = max(election.body.term_end, start)
    election.save(update_fields=["outcome", "status", "decided_at", "term_start", "term_end", "body"])
    record(by, "deliberation.election.decide", election,
           changes={"status": ["voting", "decided"], "winners": [None, election.outcome["winner_ids"]],
                    "open_seats": [None, outcome.open_seats]})
    publish_notice(by=by, unit=election.unit, kind=c.NoticeKind.RESULT, vote=vote,
                   title=_("Elected: %(t)s") % {"t": election.title}, body=outcome_text(election), decided_at=now,
                   published_at=max(now, timezone.now()) if by.user is not None else now)
    return election


def _form_committee(by: Actor, election: Election, winners: list[Person], start: dt.date,
                    end: dt.date) -> GovernanceBody:
    """The winners are the members of the unit's body for the new term: members re-elected keep their
    membership (and position), the others' membership ends the day before, new winners join. In a
    by-election the winners join and nobody leaves (the body's term is left as it was)."""
    kind = election.body_kind
    body = GovernanceBody.objects.filter(unit=election.unit, kind=kind).order_by("id").first()
    if body is not None and election.by_election:
        sitting = set(BodyMembership.objects.filter(body=body, end_date__isnull=True).values_list("person_id",
                                                                                                  flat=True))
        for person in winners:
            if person.pk not in sitting:
                org_services.add_body_member(by=by, body=body, person=person, start_date=start)
        return body
    if body is None:
        name = (_("%(unit)s self-governance committee") if kind == BodyKind.COMMITTEE
                else _("%(unit)s supervisory board")) % {"unit": election.unit.name}
        body = org_services.create_body(by=by, unit=election.unit, kind=kind, name=name, term_start=start,
                                        term_end=end)
    else:
        before = {"term_start": str(body.term_start or ""), "term_end": str(body.term_end or "")}
        body.term_start, body.term_end = start, end
        body.save(update_fields=["term_start", "term_end"])
        record(by, "org.body.term", body, changes={k: [v, str(getattr(body, k))] for k, v in before.items()},
               community_id=election.community_id)
    elected = {x.pk for x in winners}
    staying = set()
    for membership in BodyMembership.objects.filter(body=body, end_date__isnull=True).select_related("body__unit"):
        if membership.person_id in elected:
            staying.add(membership.person_id)
            continue
        org_services.end_body_member(by=by, membership=membership,
                                     end_date=max(start - dt.timedelta(days=1), membership.start_date or start))
    for person in winners:
        if person.pk not in staying:
            org_services.add_body_member(by=by, body=body, person=person, start_date=start)
    return body


def outcome_text(election: Election) -> str:
    o = election.outcome or {}
    if not o.get("valid"):
        return _("Too few voters took part; nobody was elected. The election must be held again.")
    lines = [_("Elected (%(n)s of %(s)s seats): %(names)s.") % {
        "n": len(o["winners"]), "s": o["seats"], "names": "、".join(o["winners"]) or "—"}]
    if election.term_start:
        lines.append(_("Term: %(a)s to %(b)s.") % {"a": election.term_start, "b": election.term_end})
    if o.get("tied"):
        lines.append(_("Tied for the last seat(s): %(names)s; a run-off decides.") % {"names": "、".join(o["tied"])})
    if o.get("open_seats"):
        lines.append(_("%(n)s seat(s) remain open for a further election.") % {"n": o["open_seats"]})
    lines.append("；".join(f"{name} {n}" for name, n in o.get("votes", {}).items()))
    return "\n".join(lines)
