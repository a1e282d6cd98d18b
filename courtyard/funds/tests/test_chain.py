"""The fast canonical encoder is byte-identical to the reference one; running totals cannot drift
unnoticed; the public ledger's keyset pages walk every entry exactly once, newest first."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from courtyard.funds import chain, selectors, services
from courtyard.funds.models import Account
from courtyard.funds.verify import _rows, entry_totals, verify_account

from .factories import account, actor, signers

text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40) | st.sampled_from(
    ["", '"', "\\", "\n\t\r\b\f", "\x00\x1f\x7f", "\u2028\u2029", "王**", "😀 emoji", "</script>"])
ints = st.integers(min_value=-(2**63), max_value=2**63 - 1)
opt_ids = st.none() | st.integers(min_value=1, max_value=2**31)
when = st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1),
                    timezones=st.none() | st.just(dt.UTC) | st.just(dt.timezone(dt.timedelta(hours=8))))


@settings(max_examples=400, deadline=None)
@given(account_id=st.integers(min_value=1, max_value=2**31), seq=st.integers(min_value=1, max_value=2**31),
       booked_on=st.dates(min_value=dt.date(1000, 1, 1)), amount=ints, strings=st.lists(text, min_size=9, max_size=9),
       ids=st.tuples(opt_ids, opt_ids, opt_ids, opt_ids, opt_ids, opt_ids), res_id=text, created=when)
def test_canonical_row_is_byte_identical(account_id, seq, booked_on, amount, strings, ids, res_id, created):
    kind, basis, category, cp_kind, cp_name, receipt, memo, ref, digests = strings
    values = {"account_id": account_id, "seq": seq, "booked_on": booked_on, "kind": kind, "amount_fen": amount,
              "basis": basis, "category": category, "counterparty_kind": cp_kind, "counterparty_name": cp_name,
              "request_id": ids[0], "reverses_id": ids[1], "levy_charge_id": ids[2], "receipt_no": receipt,
              "memo": memo, "resolution_ref": ref, "attachment_digests": digests, "created_at": created,
              "created_by_id": ids[3], "partner_id": ids[4], "resolution_type_id": ids[5], "resolution_id": res_id}
    row = tuple(values[f] for f in chain.FIELDS)
    assert chain.canonical_row(row) == chain.canonical(values)
    assert chain.canonical_row(row, 1) == chain.canonical(values, 1)
    assert chain.canonical_row(row[:len(chain.FIELDS_V1)], 1) == chain.canonical(values, 1)


@pytest.mark.parametrize("stored", ["2026-11-21 02:03:04.000005", "2026-11-21 02:03:04", "2026-11-21T02:03:04.000005Z"])
def test_canonical_row_reads_database_text(stored):
    values = {f: "" for f in chain.FIELDS} | {"account_id": 1, "seq": 1, "amount_fen": 5, "request_id": None,
                                             "reverses_id": None, "levy_charge_id": None, "booked_on": "2026-11-21",
                                             "created_by_id": 3, "partner_id": None, "resolution_type_id": None}
    exact = dt.datetime(2026, 11, 21, 2, 3, 4, 5 if "05" in stored else 0, tzinfo=dt.UTC)
    row = tuple((stored if f == "created_at" else values[f]) for f in chain.FIELDS)
    assert chain.canonical_row(row) == chain.canonical(values | {"created_at": exact,
                                                                 "booked_on": dt.date(2026, 11, 21)})


def test_canonical_row_falls_back_on_null_text():
    values = {f: None for f in chain.FIELDS} | {"account_id": 1, "seq": 1, "amount_fen": 5,
                                               "booked_on": dt.date(2026, 1, 1),
                                               "created_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)}
    assert chain.canonical_row(tuple(values[f] for f in chain.FIELDS)) == chain.canonical(values)


@pytest.fixture
def people(tree):
    return signers(tree)


def _income(acc, people, fen, basis="donation", booked_on=None):
    return services.record_income(by=actor(people["finance"]), account=acc, amount_fen=fen, basis=basis,
                                  counterparty_name="学道街商户联盟", counterparty_kind="organisation",
                                  receipt_no="R", booked_on=booked_on)


@pytest.mark.django_db
def test_database_rows_encode_like_the_chain(tree, people):
    acc = account(tree, people, funded=0)
    e = services.record_income(by=actor(people["finance"]), account=acc, amount_fen=1, basis="donation",
                               counterparty_name='王 "秀英"\n\u2028', counterparty_kind="person", receipt_no="")
    row = next(iter(_rows(acc.pk)))
    assert chain.link(chain.GENESIS, chain.canonical_row(row[4:])) == e.hash


@pytest.mark.django_db
def test_running_totals_follow_income_corrections_and_payments(tree, people):
    acc = account(tree, people)  # 1,000,000 yuan subsidy
    gift = _income(acc, people, 300_00)
    services.reverse_entry(by=actor(people["finance"]), entry=gift, reason="记错账户")
    _income(acc, people, 200_00, basis="levy")
    sub = _income(acc, people, 50_00, basis="grant")
    services.reverse_entry(by=actor(people["finance"]), entry=sub, reason="退回")
    acc.refresh_from_db()
    assert entry_totals(acc.pk) == {"balance_fen": acc.balance_fen, "income_fen": acc.income_fen,
                                    "gov_income_fen": acc.gov_income_fen}
    assert (acc.income_fen, acc.gov_income_fen) == (1_000_000_00 + 200_00, 1_000_000_00)
    assert selectors.self_funding_ratio(tree.unit) == selectors.self_funding_ratio_from_entries(tree.unit)
    assert verify_account(acc)[1] is None


@pytest.mark.django_db
def test_verify_reports_drifted_totals(tree, people):
    acc = account(tree, people)
    Account.objects.filter(pk=acc.pk).update(gov_income_fen=0)  # the account row is not append-only
    acc.refresh_from_db()
    _n, broken = verify_account(acc)
    assert broken is not None and "government income" in broken.reason


@pytest.mark.django_db
def test_keyset_pages_cover_every_entry_once_newest_first(tree, people):
    a = account(tree, people, funded=0)
    b = account(tree, people, funded=0, name="自治金", purpose="self_governance")
    day = dt.date(2026, 1, 1)
    for i in range(23):
        _income(a if i % 3 else b, people, 100 + i, booked_on=day + dt.timedelta(days=i // 4))
    accounts = list(selectors.unit_accounts(tree.unit))
    seen, cursor = [], None
    while True:
        page = selectors.public_page(accounts, per_page=5, cursor=cursor)
        seen += page.entries
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    keys = [(e.booked_on, e.pk) for e in seen]
    assert len(seen) == 23 and len(set(keys)) == 23
    assert keys == sorted(keys, reverse=True)
    one = selectors.public_page(accounts, per_page=50, account_id=b.pk)
    assert {e.account_id for e in one.entries} == {b.pk} and len(one.entries) == 8


@pytest.mark.django_db
def test_bad_cursor_means_first_page(tree, people):
    acc = account(tree, people)
    page = selectors.public_page([acc], per_page=5, cursor="garbage")
    assert page.first and len(page.entries) == 1


@pytest.mark.django_db
def test_exports_walk_every_entry_once_in_chain_order(tree, people):
    from courtyard.funds.models import LedgerEntry

    a = account(tree, people, funded=0)
    b = account(tree, people, funded=0, name="自治金", purpose="self_governance")
    for i in range(7):
        _income(a if i % 2 else b, people, 100 + i)
    chunks = list(selectors.in_chain_order(LedgerEntry.objects.all(), size=3))
    keys = [(e.account_id, e.seq) for c in chunks for e in c]
    assert [len(c) for c in chunks] == [3, 3, 1] and keys == sorted(keys) and len(set(keys)) == 7
