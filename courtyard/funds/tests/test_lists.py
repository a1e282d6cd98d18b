"""Funds console lists on the core toolkit (issue 9 item 6): accounts, payment requests, ledger entries
and grant calls have a filter bar, keyset pages, sortable amount columns and an Excel export; amounts
show in yuan with tabular figures and export as numbers of yuan; nobody sees another community's rows."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from courtyard.funds import services
from courtyard.funds.choices import Purpose

from .factories import account, actor, signers, three_party_approved

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree):
    people = signers(tree)
    acc = account(tree, people, name="学道苑工程款")
    req = three_party_approved(tree, people, acc)
    services.pay(by=actor(people["finance"]), request=req, receipt_no="FP-9")
    gift = services.record_income(by=actor(people["finance"]), account=acc, amount_fen=1_122_752_05,
                                  basis="donation", counterparty_name="王秀英", counterparty_kind="person",
                                  receipt_no="JZ-1")
    services.create_request(by=actor(people["staff"]), account=acc, title="门禁更换", amount_fen=2_345_678,
                            category="safety", payee_name="安防公司", payee_kind="organisation")
    micro = account(tree, people, name="微基金", policy="single", purpose=Purpose.MICRO_FUND)
    services.open_call(by=actor(people["staff"]), account=micro, title="微创投", budget_fen=90_000_00,
                       closes_on=dt.date(2099, 1, 1))
    return tree, people, acc, req, gift


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _sheet(response) -> list[list]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_entries_list_filters_sorts_and_exports_in_yuan(world):
    tree, people, acc, req, gift = world
    c = _client(people["finance"])
    url = reverse("funds:entries")
    html = c.get(url, {"account": acc.pk}).content.decode()
    assert '<span class="fn-money">1,122,752.05</span>' in html and "funds/console.css" in html
    assert 'id="f-account"' in html  # the filter bar's ids never clash with a form's
    assert "王秀英" not in c.get(url, {"kind": "payment"}).content.decode()
    assert "王秀英" in c.get(url, {"text": "JZ-"}).content.decode()
    html = c.get(url, {"sort": "-amount_fen"}).content.decode()
    assert html.index("1,122,752.05") < html.index("120,000.00")
    assert c.get(url, {"after": "garbage", "since": "not a date"}).status_code == 200  # bad input: no 500
    rows = _sheet(c.get(url, {"account": acc.pk, "export": "xlsx"}))
    amounts = {r[rows[0].index("Amount (yuan)")] for r in rows[1:]}
    assert {Decimal("1122752.05"), Decimal("-120000.00")} <= {Decimal(str(a)) for a in amounts}
    # the finance officer corrects from the list; the outsider sees nothing of this community
    assert reverse("funds:entry_reverse", args=[gift.pk]) in c.get(url).content.decode()
    assert "王秀英" not in _client(people["outsider"]).get(url).content.decode()
    assert Client().get(url).status_code == 302


def test_account_page_links_to_its_entries(world):
    tree, people, acc, req, gift = world
    html = _client(people["finance"]).get(acc.get_console_url()).content.decode()
    assert f"{reverse('funds:entries')}?account={acc.pk}" in html and "1,122,752.05" in html


def test_accounts_requests_and_calls_lists(world):
    tree, people, acc, req, gift = world
    staff = _client(people["staff"])
    html = staff.get(reverse("funds:accounts"), {"purpose": "works"}).content.decode()
    assert "学道苑工程款" in html and "微基金" not in html and "Open an account" in html
    rows = _sheet(staff.get(reverse("funds:accounts"), {"export": "xlsx"}))
    assert {r[0] for r in rows[1:]} == {"学道苑工程款", "微基金"}
    html = staff.get(reverse("funds:requests"), {"state": "pending"}).content.decode()
    assert "门禁更换" in html and "雨污分流一期" not in html and '<span class="fn-money">23,456.78</span>' in html
    assert 'id="id_account"' in html and 'id="f-account"' in html  # the new-request form below the list
    html = staff.get(reverse("funds:requests"), {"text": "安防"}).content.decode()
    assert "门禁更换" in html and "雨污分流一期" not in html
    html = staff.get(reverse("funds:calls")).content.decode()
    assert "微创投" in html and '<span class="fn-money">90,000.00</span>' in html
    rows = _sheet(staff.get(reverse("funds:calls"), {"export": "xlsx"}))
    assert rows[1][0] == "微创投"
