"""Every funds page renders with the same number of queries for N and 5N rows (ARCHITECTURE:
bounded queries regardless of list length)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courtyard.funds import services
from courtyard.funds.choices import Policy, Purpose
from courtyard.funds.models import LevyCharge
from courtyard.org.tests import factories as org

from .factories import account, actor, signers

pytestmark = pytest.mark.django_db

N = 3
_n = itertools.count()
FULL = {"need": 30, "feasibility": 25, "participation": 25, "value": 20}


@pytest.fixture
def world(tree):
    people = signers(tree)
    people["resident"] = org.make_user(person=org.person(tree.community_a, "李桂兰", home=tree.dwelling1))
    works = account(tree, people)
    micro = account(tree, people, purpose=Purpose.MICRO_FUND, policy=Policy.SINGLE, name="微基金")
    levy = services.create_levy(by=actor(people["staff"]), account=works, name="加装电梯归集", rate_fen_per_m2=500)
    call = services.open_call(by=actor(people["staff"]), account=micro, title="微创投", budget_fen=900_000_00,
                              closes_on=dt.date(2099, 1, 1))
    people["proposal"] = services.submit_proposal(by=actor(people["resident"]), call=call, title="楼道书角",
                                                  applicant="读书会", requested_fen=100_00, category="culture")
    return tree, people, works, micro, levy, call


def _grow(world, k: int) -> None:
    """k more of every kind of row the pages list: entries (payments with sign-offs, incomes, corrections),
    requests, accounts, calls with scored proposals, levy payments for the resident's home."""
    tree, people, works, micro, levy, call = world
    fin = actor(people["finance"])
    charge = LevyCharge.objects.get(levy=levy, dwelling=tree.dwelling1)
    for _ in range(k):
        i = next(_n)
        req = services.create_request(by=actor(people["staff"]), account=works, title=f"工程 {i}", amount_fen=100,
                                      category="works", payee_name="成都某建筑公司", payee_kind="organisation")
        for step, who in (("supervisor", "supervisor"), ("finance", "finance"), ("committee", "committee")):
            services.sign(by=actor(people[who]), request=req, step=step)
        services.pay(by=fin, request=req, receipt_no=f"FP-{i}")
        gift = services.record_income(by=fin, account=works, amount_fen=200, basis="donation",
                                      counterparty_name="王秀英", counterparty_kind="person", receipt_no=f"R-{i}")
        services.reverse_entry(by=fin, entry=gift, reason="重复入账")
        services.record_levy_payment(by=fin, charge=charge, amount_fen=1, receipt_no=f"L-{i}")
        services.create_account(by=actor(people["staff"]), unit=tree.unit, purpose=Purpose.MAINTENANCE,
                                name=f"维修资金 {i}", custodian="银行", policy=Policy.SINGLE)
        c = services.open_call(by=actor(people["staff"]), account=micro, title=f"微创投 {i}", budget_fen=10_000_00,
                               closes_on=dt.date(2099, 1, 1))
        reviewer = org.make_user("committee_member", tree.unit)  # one more reviewer on the fixed proposal
        services.score_proposal(by=actor(reviewer), proposal=people["proposal"], criteria=FULL)
        for target in (c, call):
            p = services.submit_proposal(by=actor(people["resident"]), call=target, title=f"提案 {i}",
                                         applicant="读书会", requested_fen=100_00, category="culture")
            services.score_proposal(by=actor(people["committee"]), proposal=p, criteria=FULL)
            services.score_proposal(by=actor(people["staff"]), proposal=p, criteria=FULL)


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as q:
        r = client.get(url)
    assert r.status_code == 200, (url, r.status_code)
    return len(q.captured_queries)


PAGES = {
    # name: (who, url builder)
    "public ledger": (None, lambda w: reverse("funds:public_ledger", args=[w[0].unit.slug])),
    "public ledger, one account": (None, lambda w: reverse("funds:public_ledger", args=[w[0].unit.slug])
                                   + f"?account={w[2].pk}&category=works"),
    "accounts": ("staff", lambda w: reverse("funds:accounts")),
    "account detail": ("finance", lambda w: reverse("funds:account", args=[w[2].pk])),
    "entries": ("finance", lambda w: reverse("funds:entries")),
    "entries, one account": ("finance", lambda w: reverse("funds:entries") + f"?account={w[2].pk}&sort=-amount_fen"),
    "requests": ("staff", lambda w: reverse("funds:requests")),
    "levy": ("finance", lambda w: reverse("funds:levy", args=[w[4].pk])),
    "budget": ("staff", lambda w: reverse("funds:budget")),
    "calls": ("staff", lambda w: reverse("funds:calls")),
    "call detail": ("staff", lambda w: reverse("funds:call", args=[w[5].pk])),
    "proposal detail": ("staff", lambda w: reverse("funds:proposal", args=[w[1]["proposal"].pk])),
    "my levy": ("resident", lambda w: reverse("funds:my_levy")),
    "resident grants": ("resident", lambda w: reverse("funds:resident_grants")),
}


def test_every_funds_page_has_a_fixed_query_count(world):
    clients = {}
    for name, (who, _url) in PAGES.items():
        c = Client()
        if who:
            c.force_login(world[1][who])
        clients[name] = c
    _grow(world, N)
    for name, (_who, url) in PAGES.items():  # warm the per-user caches (unread count, menu)
        clients[name].get(url(world))
    small = {name: _count(clients[name], url(world)) for name, (_who, url) in PAGES.items()}
    _grow(world, 4 * N)
    large = {name: _count(clients[name], url(world)) for name, (_who, url) in PAGES.items()}
    assert small == large
