"""Deliberation test helpers on top of the org `tree` fixture."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone

from courtyard.core.audit import Actor
from courtyard.deliberation import services
from courtyard.org.tests import factories as f
from courtyard.org.tests.factories import make_user


def api_rows(tree) -> SimpleNamespace:
    """One row of every deliberation API list (for the API fuzz test in courtyard/web/tests): an election for
    one seat with its list of two self-nominated candidates confirmed."""
    w = SimpleNamespace(tree=tree)
    w.staff = make_user("community_staff", tree.community_a)
    w.election = services.create_election(by=Actor(user=w.staff), unit=tree.unit, title="第二届小院自治委员会选举",
                                          seats=1, nominations_close=timezone.now() + timedelta(days=7))
    for name, home, occupation in (("周淑珍", tree.dwellings_unit[2], "retired"), ("吴志强", tree.dwellings_unit[3],
                                                                                   "employed")):
        person = f.person(tree.community_a, name, home=home)
        services.nominate(by=Actor(user=make_user(person=person)), election=w.election, nominee=person, kind="self",
                          occupation=occupation, statement="愿为大家服务")
    services.confirm_list(by=Actor.system(), election=w.election)
    w.election.refresh_from_db()
    return w
