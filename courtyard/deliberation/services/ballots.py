"""Ballots: casting (online, paper, proxy) and confirming paper ballots."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from courtyard.core.audit import Actor, record
from courtyard.core.files import store_upload
from courtyard.org.models import Person

from .. import choices as c
from .. import permissions as p
from .. import rules as dl_rules
from .. import tally as t
from ..models import Ballot, Elector, ElectorPerson, Vote
from ._common import _require


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
