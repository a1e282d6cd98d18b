"""PostgreSQL: 200 concurrent casts, with repeats from the same voters, leave exactly one current
ballot per voter, and the tally equals the ballots stored."""

from __future__ import annotations

import random
import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import timezone

from courtyard.core.audit import Actor
from courtyard.deliberation import services
from courtyard.deliberation.models import Ballot, ElectorPerson
from courtyard.org.tests import factories as f

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(jobs, fn, threads=16):
    barrier = threading.Barrier(threads)
    errors, done, unexpected = [], [], []
    lock = threading.Lock()
    queue = list(jobs)

    def worker():
        try:
            barrier.wait()
            while True:
                with lock:
                    if not queue:
                        return
                    job = queue.pop()
                try:
                    done.append(fn(job))
                except ValidationError as exc:
                    errors.append(exc)
                except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                    unexpected.append(exc)
        finally:
            connections.close_all()

    ts = [threading.Thread(target=worker) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert not unexpected, unexpected[:3]
    return done, errors


def _vote(tree, staff, *, allow_change):
    people = [f.person(tree.community_a, f"居民{i}", home=tree.dwellings_unit[i % 4], relation="family",
                       birth_year=1960) for i in range(60)]
    now = timezone.now()
    vote = services.create_vote(by=Actor(user=staff), unit=tree.unit, title="并发", electorate="adults",
                                rule="simple_majority", allow_change=allow_change,
                                opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(days=1))
    return services.open_vote(by=Actor(user=staff), vote=vote), people


@pytest.mark.parametrize("allow_change", [True, False])
def test_200_concurrent_casts(tree, make_user, allow_change):
    staff = make_user("community_staff", tree.community_a)
    vote, people = _vote(tree, staff, allow_change=allow_change)
    keys = dict(ElectorPerson.objects.filter(vote=vote).values_list("person_id", "key"))
    rng = random.Random(7)
    jobs = [(rng.choice(people[:50]), rng.choice(["yes", "no", "abstain"])) for _ in range(200)]

    def cast(job):
        person, choice = job
        return services.cast(by=Actor(user=staff, on_behalf_of=person, channel="assisted"), vote=vote,
                             voter=person, choice=choice, channel="assisted", confirmation="signed sheet")

    done, errors = _race(jobs, cast)
    voters = {keys[p.pk] for p, _c in jobs}
    current = list(Ballot.objects.filter(vote=vote, is_current=True))
    assert len(current) == len({b.voter_key for b in current}) == len(voters)
    assert len(done) + len(errors) == 200
    if allow_change:
        assert not errors and Ballot.objects.filter(vote=vote).count() == 200
    else:
        assert len(done) == len(voters) and Ballot.objects.filter(vote=vote).count() == len(voters)
    stored = Counter(b.choice for b in current)
    r = services.compute(vote)
    assert (r.choices["yes"].heads, r.choices["no"].heads, r.choices["abstain"].heads) == (
        stored["yes"], stored["no"], stored["abstain"])
    assert r.participating.heads == len(voters)
