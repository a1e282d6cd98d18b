"""Console and public pages: permissions, privacy, filters, exports, PDF, bounded queries."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from courtyard.funds import services
from courtyard.funds.choices import Policy, Purpose

from .factories import account, actor, signers, three_party_approved

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree):
    people = signers(tree)
    acc = account(tree, people)
    req = three_party_approved(tree, people, acc)
    services.pay(by=actor(people["finance"]), request=req, receipt_no="FP-9")
    services.record_income(by=actor(people["finance"]), account=acc, amount_fen=88_00, basis="donation",
                           counterparty_name="王秀英", counterparty_kind="person", receipt_no="JZ-1")
    return tree, people, acc, req


def test_public_ledger_needs_no_login_and_masks_people(world):
    tree, people, acc, req = world
    r = Client().get(reverse("funds:public_ledger", args=[tree.unit.slug]))
    assert r.status_code == 200
    html = r.content.decode()
    assert "王秀英" not in html and "王**" in html
    assert "成都某建筑公司" in html  # organisations by name
    acc.refresh_from_db()
    assert acc.head_hash in html
    assert "Works supervisor" in html and "Community finance" in html  # approvals: role and date


def test_public_ledger_filters(world):
    tree, people, acc, req = world
    url = reverse("funds:public_ledger", args=[tree.unit.slug])
    html = Client().get(url, {"category": "works"}).content.decode()
    assert "成都某建筑公司" in html and "王**" not in html
    html = Client().get(url, {"month": "1999-01"}).content.decode()
    assert "No entries match." in html


def test_public_ledger_queries_are_bounded(world):
    tree, people, acc, req = world
    url = reverse("funds:public_ledger", args=[tree.unit.slug])
    Client().get(url)
    with CaptureQueriesContext(connection) as few:
        Client().get(url)
    for i in range(30):
        services.record_income(by=actor(people["finance"]), account=acc, amount_fen=100 + i, basis="donation",
                               counterparty_name=f"商户{i}", counterparty_kind="organisation")
    with CaptureQueriesContext(connection) as many:
        Client().get(url)
    assert len(many) <= len(few) + 2


def test_public_unit_page_has_ledger_section(world):
    tree, *_ = world
    html = Client().get(reverse("web:public_unit", args=[tree.unit.slug])).content.decode()
    assert reverse("funds:public_ledger", args=[tree.unit.slug]) in html


def test_public_xlsx_and_pdf(world):
    tree, people, acc, req = world
    r = Client().get(reverse("funds:public_export", args=[tree.unit.slug]))
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    values = [c for row in ws.iter_rows(values_only=True) for c in row]
    assert "王**" in values and "王秀英" not in values
    entry = acc.entries.get(kind="payment")
    r = Client().get(reverse("funds:public_statement", args=[tree.unit.slug, entry.booked_on.year,
                                                                entry.booked_on.month]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")


def test_console_sign_and_pay_through_views(tree, login):
    people = signers(tree)
    acc = account(tree, people)
    c = login(people["staff"])
    r = c.post(reverse("funds:requests"), {"account": acc.pk, "title": "监控补点", "amount": "12000.50",
                                           "category": "safety", "payee_name": "某安防公司",
                                           "payee_kind": "organisation"})
    req = acc.requests.get()
    assert r.status_code == 302 and req.amount_fen == 1_200_050
    for who, step in (("supervisor", "supervisor"), ("finance", "finance"), ("committee", "committee")):
        r = login(people[who]).post(req.get_console_url(), {"action": "sign", "step": step, "decision": "approve"})
        assert r.status_code == 302, r.content
    r = login(people["finance"]).post(req.get_console_url(), {"action": "pay", "booked_on": "2026-11-21",
                                                              "receipt_no": "FP-77"})
    assert r.status_code == 302
    assert acc.entries.filter(kind="payment", receipt_no="FP-77").exists()


def test_console_pages_render_and_are_scoped(world, login, make_user):
    tree, people, acc, req = world
    c = login(people["finance"])
    for name, args in (("funds:accounts", []), ("funds:account", [acc.pk]), ("funds:requests", []),
                       ("funds:request", [req.pk]), ("funds:budget", []), ("funds:calls", [])):
        assert c.get(reverse(name, args=args)).status_code == 200, name
    outsider = login(people["outsider"])
    assert outsider.get(reverse("funds:account", args=[acc.pk])).status_code == 404
    assert outsider.get(reverse("funds:request", args=[req.pk])).status_code == 404
    resident = login(make_user(None, None))
    assert resident.get(reverse("funds:accounts")).status_code == 403


def test_auditor_export_has_hashes_and_approvals(world, login):
    tree, people, acc, req = world
    r = login(people["finance"]).get(reverse("funds:audit_export"))
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    header = rows[0]
    payment = next(r for r in rows[1:] if r[header.index("kind")] == "payment")
    assert len(payment[header.index("hash")]) == 64
    assert "Works supervisor" in payment[header.index("approvals")]


def test_levy_page_shows_arrears_to_staff(tree, login):
    people = signers(tree)
    acc = account(tree, people, purpose=Purpose.RENOVATION, name="改造专项", funded=0)
    levy = services.create_levy(by=actor(people["staff"]), account=acc, name="自筹", rate_fen_per_m2=500)
    html = login(people["finance"]).get(reverse("funds:levy", args=[levy.pk])).content.decode()
    assert tree.dwelling1.number in html


def test_statement_generation_and_committee_review(world, login):
    tree, people, acc, req = world
    entry = acc.entries.order_by("seq").last()
    st = services.generate_statement(by=actor(people["finance"]), account=acc, month=entry.booked_on)
    assert st.closing_fen == sum(acc.entries.values_list("amount_fen", flat=True))
    r = login(people["committee"]).post(reverse("funds:statement_review", args=[st.pk]))
    assert r.status_code == 302
    st.refresh_from_db()
    assert st.state == "published" and st.reviewed_by == people["committee"]
    html = Client().get(reverse("funds:public_ledger", args=[tree.unit.slug])).content.decode()
    assert "Published monthly statements" in html


def test_micro_grant_cycle(tree):
    people = signers(tree)
    acc = account(tree, people, purpose=Purpose.MICRO_FUND, policy=Policy.SINGLE, name="微基金", funded=50_000_00)
    call = services.open_call(by=actor(people["staff"]), account=acc, title="2026 微创投", budget_fen=20_000_00,
                              closes_on=dt.date(2099, 1, 1))
    a = services.submit_proposal(by=actor(people["representative"]), call=call, title="楼道书角", applicant="读书会",
                                 requested_fen=5_000_00, category="culture")
    b = services.submit_proposal(by=actor(people["representative"]), call=call, title="花池认养",
                                 applicant="园艺队", requested_fen=8_000_00, category="environment")
    services.score_proposal(by=actor(people["committee"]), proposal=a,
                            criteria={"need": 28, "feasibility": 20, "participation": 22, "value": 18})
    services.score_proposal(by=actor(people["committee"]), proposal=b,
                            criteria={"need": 15, "feasibility": 16, "participation": 15, "value": 15})
    (req,) = services.award(by=actor(people["staff"]), call=call, awards={a.pk: 5_000_00}, award_ref="院委会 2026-11")
    b.refresh_from_db()
    assert b.state == "declined"
    services.sign(by=actor(people["committee"]), request=req, step="approve")
    services.pay(by=actor(people["finance"]), request=req)
    a.refresh_from_db()
    services.final_report(by=actor(people["representative"]), proposal=a, report="书角已建成，借阅 120 人次")
    a.refresh_from_db()
    assert a.state == "reported"
