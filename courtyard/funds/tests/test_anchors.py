"""The ledger checked against paper (issue 8 item 6, item 9): known-answer vectors pin the encoding and
the hash; the attacks a self-consistent chain cannot see are caught against a printed head."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from courtyard.core.models import AppendOnlyError, AuditEvent
from courtyard.funds import chain, services
from courtyard.funds.anchors import AnchorFileError, parse_anchor_lines
from courtyard.funds.models import Account, LedgerAnchor, LedgerEntry
from courtyard.funds.verify import entry_totals, verify_all

from .factories import account, actor, signers, three_party_approved

# --- known-answer vectors -------------------------------------------------------------------------------
# Fixed input → fixed bytes → fixed hex. Computed once and checked with coreutils:
#   { printf '%s\n' <prev>; printf '%s' '<canonical>'; } | sha256sum
VALUES = {
    "account_id": 7, "seq": 3, "booked_on": dt.date(2026, 11, 20), "kind": "payment", "amount_fen": -12000000,
    "basis": "expenditure", "category": "works", "counterparty_kind": "organisation",
    "counterparty_name": '成都某建筑公司 "雨污"', "request_id": 12, "reverses_id": None, "levy_charge_id": None,
    "receipt_no": "FP-0042", "memo": "雨污分流一期", "resolution_ref": "业主大会决议 2026-3",
    "attachment_digests": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "created_at": dt.datetime(2026, 11, 20, 14, 30, 15, 123456, tzinfo=dt.timezone(dt.timedelta(hours=8))),
    "created_by_id": 41, "partner_id": 5, "resolution_type_id": 23, "resolution_id": "88",
}
CANONICAL_V2 = (
    '{"account_id":7,"amount_fen":-12000000,"attachment_digests":'
    '"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","basis":"expenditure",'
    '"booked_on":"2026-11-20","category":"works","counterparty_kind":"organisation",'
    '"counterparty_name":"成都某建筑公司 \\"雨污\\"","created_at":"2026-11-20T06:30:15.123456Z",'
    '"created_by_id":41,"kind":"payment","levy_charge_id":null,"memo":"雨污分流一期","partner_id":5,'
    '"receipt_no":"FP-0042","request_id":12,"resolution_id":"88","resolution_ref":"业主大会决议 2026-3",'
    '"resolution_type_id":23,"reverses_id":null,"seq":3,"v":2}'
).encode()
CANONICAL_V1 = (
    '{"account_id":7,"amount_fen":-12000000,"attachment_digests":'
    '"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","basis":"expenditure",'
    '"booked_on":"2026-11-20","category":"works","counterparty_kind":"organisation",'
    '"counterparty_name":"成都某建筑公司 \\"雨污\\"","created_at":"2026-11-20T06:30:15.123456Z",'
    '"kind":"payment","levy_charge_id":null,"memo":"雨污分流一期","receipt_no":"FP-0042","request_id":12,'
    '"resolution_ref":"业主大会决议 2026-3","reverses_id":null,"seq":3,"v":1}'
).encode()
PREV = hashlib.sha256(b"courtyard").hexdigest()
VECTORS = [
    (2, chain.GENESIS, "df5532e6c4f474006211145265afd206a0314f70d62d443c7671e98e98b82ed2"),
    (2, PREV, "b72abb11c87851646d90691b1dbbf11890e64b117d35c666125c56f320034e9e"),
    (1, chain.GENESIS, "c8a15532a6990a54f647fe75168b8c2a56da61932def53916e0ade034e540bdc"),
    (1, PREV, "79741426357d83ec411fe86fa4f6f51567feb33a8543f90fd3a3f2f30833a1f8"),
]


def test_known_answer_canonical_bytes():
    assert PREV == "953ff581e859b90bbcf5773d64136e3ae7a7a367606c0a5725b7ab6b3cd012d2"
    assert chain.canonical(VALUES) == CANONICAL_V2
    assert chain.canonical(VALUES, 1) == CANONICAL_V1
    row = tuple(VALUES[f] for f in chain.FIELDS)
    assert chain.canonical_row(row) == CANONICAL_V2 and chain.canonical_row(row, 1) == CANONICAL_V1


@pytest.mark.parametrize("version, prev, expected", VECTORS)
def test_known_answer_hashes(version, prev, expected):
    assert chain.entry_hash(prev, VALUES, version) == expected
    row = tuple(VALUES[f] for f in chain.FIELDS)
    assert chain.link(prev, chain.canonical_row(row, version)) == expected  # what ledger_verify computes


def test_the_hash_depends_on_the_previous_hash_and_every_field():
    assert chain.entry_hash(chain.GENESIS, VALUES) != chain.entry_hash(PREV, VALUES)
    base = chain.entry_hash(PREV, VALUES)
    for name in chain.FIELDS:
        other = dict(VALUES)
        value = other[name]
        other[name] = (value + 1 if isinstance(value, int) else 1 if value is None else
                       value + dt.timedelta(microseconds=1) if isinstance(value, dt.datetime) else
                       value + dt.timedelta(days=1) if isinstance(value, dt.date) else value + "x")
        assert chain.entry_hash(PREV, other) != base, name


# --- the database -----------------------------------------------------------------------------------------
pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tree):
    return signers(tree)


def _income(acc, people, fen):
    return services.record_income(by=actor(people["finance"]), account=acc, amount_fen=fen, basis="donation",
                                  counterparty_name="学道街商户联盟", counterparty_kind="organisation", receipt_no="R")


def _heads() -> str:
    out = io.StringIO()
    call_command("ledger_heads", stdout=out)
    return out.getvalue()


def _verify(*args) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ledger_verify", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, err.getvalue()
    return 0, out.getvalue()


def _no_triggers():
    """What someone with the database owner's password can do (rolled back with the test)."""
    with connection.cursor() as c:
        if connection.vendor == "sqlite":
            c.execute("DROP TRIGGER funds_ledgerentry_no_update")
            c.execute("DROP TRIGGER funds_ledgerentry_no_delete")
        else:
            c.execute("DROP TRIGGER funds_ledgerentry_append_only ON funds_ledgerentry")


def _fix_account(acc):
    """Rewind the account row to whatever the (tampered) entries say: head and running totals."""
    last = LedgerEntry.objects.filter(account=acc).order_by("-seq").values_list("seq", "hash").first() or (
        0, chain.GENESIS)
    Account.objects.filter(pk=acc.pk).update(head_seq=last[0], head_hash=last[1], **entry_totals(acc.pk))


def _rehash(acc, *, versions=None, changes=None):
    """Rewrite the chain from #1, each entry with `versions[seq]` (default: its own) and `changes[seq]`
    (column values), re-hashing everything after it, then rewind the account row to match."""
    versions, changes = versions or {}, changes or {}
    prev = chain.GENESIS
    for entry in LedgerEntry.objects.filter(account=acc).order_by("seq"):
        version = versions.get(entry.seq, entry.chain_version)
        values = {f: getattr(entry, f) for f in chain.FIELDS} | changes.get(entry.seq, {})
        forged = chain.entry_hash(prev, values, version)
        sets = {**changes.get(entry.seq, {}), "chain_version": version, "prev_hash": prev, "hash": forged}
        with connection.cursor() as c:
            c.execute(f"UPDATE funds_ledgerentry SET {', '.join(f'{k} = %s' for k in sets)} WHERE id = %s",  # noqa: S608
                      [*sets.values(), entry.pk])
        prev = forged
    _fix_account(acc)


@pytest.fixture
def ledger(tree, people):
    acc = account(tree, people)  # #1 subsidy
    req = three_party_approved(tree, people, acc, amount=120_000_00)
    services.pay(by=actor(people["finance"]), request=req, receipt_no="FP-1")  # #2
    _income(acc, people, 300_00)  # #3
    _income(acc, people, 400_00)  # #4
    acc.refresh_from_db()
    return acc


def test_ledger_heads_prints_one_line_per_account(tmp_path, tree, people, ledger):
    empty = account(tree, people, funded=0, name="自治金", purpose="self_governance")
    lines = _heads().splitlines()
    assert lines == [f"{ledger.pk} 4 {ledger.head_hash}", f"{empty.pk} 0 {chain.GENESIS}"]
    assert parse_anchor_lines(lines, "heads.txt")[0].hash == ledger.head_hash
    kept = tmp_path / "heads.txt"
    kept.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out = _verify("--anchors", str(kept))
    assert code == 0 and "2 from the anchor file" in out  # an empty account's head (#0, zeros) is valid
    kept.write_text(f"{empty.pk} 0 {'1' * 64}\n", encoding="utf-8")
    code, err = _verify("--anchors", str(kept))
    assert code == 1 and "empty chain" in err


def test_attack_rewind_the_head_and_totals_is_caught_by_a_kept_head(tmp_path, ledger):
    kept = tmp_path / "heads.txt"
    kept.write_text("# printed 2026-11-30, signed by the supervisory board\n" + _heads(), encoding="utf-8")
    assert _verify("--anchors", str(kept))[0] == 0
    _no_triggers()
    with connection.cursor() as c:
        c.execute("DELETE FROM funds_ledgerentry WHERE account_id = %s AND seq >= 3", [ledger.pk])
    _fix_account(ledger)
    assert verify_all().first_break is None  # the chain alone is consistent again: that is the attack
    code, err = _verify("--anchors", str(kept))
    assert code == 1
    assert f"heads.txt line 2: {ledger.pk} 4 {ledger.head_hash}" in err
    assert "has no entry #4 (its chain ends at #2)" in err


def test_attack_rewrite_an_amount_and_rehash_the_tail_is_caught_by_a_kept_head(tmp_path, ledger):
    kept = tmp_path / "heads.txt"
    kept.write_text(_heads(), encoding="utf-8")
    _no_triggers()
    payment = LedgerEntry.objects.get(account=ledger, seq=2)
    _rehash(ledger, changes={2: {"amount_fen": payment.amount_fen // 2}})  # half the payment "never happened"
    assert verify_all().first_break is None
    code, err = _verify("--anchors", str(kept))
    assert code == 1 and "entry #4 of account" in err and "not the printed one" in err


def test_published_statement_and_pdf_heads_are_checked_without_a_file(tree, people, ledger):
    st = services.generate_statement(by=actor(people["finance"]), account=ledger, month=LedgerEntry.objects.get(account=ledger, seq=4).booked_on)
    assert (st.head_seq, st.head_hash) == (4, ledger.head_hash)
    services.review_statement(by=actor(people["committee"]), statement=st)
    assert LedgerAnchor.objects.filter(account=ledger, source="statement", seq=4, hash=ledger.head_hash).exists()
    assert _verify()[0] == 0
    _no_triggers()
    with connection.cursor() as c:
        c.execute("DELETE FROM funds_ledgerentry WHERE account_id = %s AND seq = 4", [ledger.pk])
    _fix_account(ledger)
    code, err = _verify()
    assert code == 1 and f"published statement {st.month:%Y-%m} (id {st.pk})" in err and "no entry #4" in err


def test_statement_pdf_records_the_heads_it_printed(tree, people, ledger):
    day = LedgerEntry.objects.get(account=ledger, seq=4).booked_on
    url = reverse("funds:public_statement", args=[tree.unit.slug, day.year, day.month])
    for _ in range(2):
        r = Client().get(url)
        assert r.status_code == 200 and r.content.startswith(b"%PDF")
    anchors = list(LedgerAnchor.objects.filter(source="statement_pdf"))
    assert [(a.account_id, a.seq, a.hash) for a in anchors] == [(ledger.pk, 4, ledger.head_hash)]
    assert anchors[0].reference == f"{tree.unit.slug} {day:%Y-%m}"
    assert AuditEvent.objects.filter(action="funds.head_printed").count() == 1  # the second print adds nothing
    with pytest.raises(AppendOnlyError):
        anchors[0].delete()
    _no_triggers()
    with connection.cursor() as c:
        c.execute("DELETE FROM funds_ledgerentry WHERE account_id = %s AND seq = 4", [ledger.pk])
    _fix_account(ledger)
    code, err = _verify()
    assert code == 1 and "statement_pdf" in err


def test_printed_head_rows_are_append_only_in_the_database(ledger):
    a = LedgerAnchor.objects.create(account=ledger, seq=4, hash=ledger.head_hash, source="statement_pdf")
    from django.db import DatabaseError, transaction

    for sql in ("UPDATE funds_ledgeranchor SET seq = 3 WHERE id = %s", "DELETE FROM funds_ledgeranchor WHERE id = %s"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
            c.execute(sql, [a.pk])


def test_deleting_the_last_entry_and_fixing_the_totals_is_caught_at_the_head(ledger):
    """No printed head needed: the account row still names entry #4."""
    _no_triggers()
    with connection.cursor() as c:
        c.execute("DELETE FROM funds_ledgerentry WHERE account_id = %s AND seq = 4", [ledger.pk])
    Account.objects.filter(pk=ledger.pk).update(**entry_totals(ledger.pk))
    code, err = _verify()
    assert code == 1 and "the account's head (#4" in err and "does not match the last entry (#3" in err


@pytest.mark.parametrize("column, value", [
    ("created_by_id", None), ("partner_id", "partner"), ("resolution_id", "99"), ("resolution_type_id", "ct"),
    ("resolution_ref", "另一决议"), ("counterparty_name", "另一公司"), ("booked_on", "2020-01-01"),
    ("attachment_digests", "00"), ("reverses_id", "entry1"), ("request_id", "request"), ("amount_fen", 1),
    ("receipt_no", "FP-2"), ("memo", "另"), ("category", "other"), ("basis", "levy"), ("seq", 2),
])
def test_every_meaningful_column_is_in_the_hash(tree, people, ledger, column, value):
    """Who booked it, partner, resolution, basis, attachments, amounts, dates, links: change any one of
    them on entry #3 behind the application's back and the chain breaks there."""
    from django.contrib.contenttypes.models import ContentType

    target = LedgerEntry.objects.get(account=ledger, seq=3)
    value = {"partner": tree.partner.pk, "ct": ContentType.objects.get_for_model(Account).pk,
             "entry1": LedgerEntry.objects.get(account=ledger, seq=1).pk,
             "request": LedgerEntry.objects.get(account=ledger, seq=2).request_id}.get(value, value)
    _no_triggers()
    if column == "seq":  # swap #2 and #3 round
        with connection.cursor() as c:
            c.execute("UPDATE funds_ledgerentry SET seq = 99 WHERE account_id = %s AND seq = 2", [ledger.pk])
            c.execute("UPDATE funds_ledgerentry SET seq = 2 WHERE id = %s", [target.pk])
            c.execute("UPDATE funds_ledgerentry SET seq = 3 WHERE account_id = %s AND seq = 99", [ledger.pk])
        broken = verify_all().first_break
        assert broken is not None and broken.seq == 2
        return
    with connection.cursor() as c:
        c.execute(f"UPDATE funds_ledgerentry SET {column} = %s WHERE id = %s", [value, target.pk])  # noqa: S608
    broken = verify_all().first_break
    assert broken is not None and broken.seq == 3 and "content changed" in broken.reason


def test_a_version_1_chain_still_verifies_but_versions_never_go_back(ledger):
    """Entries hashed before version 2 keep verifying, an upgrade mid-chain too; a downgrade is a break."""
    _no_triggers()
    _rehash(ledger, versions={1: 1, 2: 1, 3: 1, 4: 1})  # the chain as version 1 wrote it
    assert verify_all().first_break is None
    _rehash(ledger, versions={3: 2, 4: 2})  # upgraded after entry #2
    assert verify_all().first_break is None
    _rehash(ledger, versions={1: 2, 2: 2, 3: 1, 4: 2})  # #3 re-labelled as the weaker version 1
    broken = verify_all().first_break
    assert broken is not None and broken.seq == 3 and "versions never go back" in broken.reason


@pytest.mark.parametrize("content, message", [
    ("1 2\n", "line 1: expected '<account-id> <seq> <sha256-hex>'"),
    ("# ok\n1 2 " + "g" * 64 + "\n", "line 2"),
    ("1 -2 " + "a" * 64 + "\n", "line 1"),
    ("x" * 5000 + "\n", "..."),
    ("1 99999999999999999999 " + "a" * 64 + "\n", "line 1"),
])
def test_bad_anchor_lines_are_named(content, message):
    with pytest.raises(AnchorFileError, match=message.replace(".", r"\.").replace("'", "'")):
        parse_anchor_lines(content.splitlines(), "heads.txt")


def test_bad_anchor_file_one_line_nonzero_exit(tmp_path):
    bad = tmp_path / "heads.txt"
    bad.write_text("7 3 not-a-hash\n", encoding="utf-8")
    code, err = _verify("--anchors", str(bad))
    assert code == 2 and err.strip() == (f"ledger_verify: {bad} line 1: expected '<account-id> <seq> <sha256-hex>', "
                                         "got '7 3 not-a-hash'")
    binary = tmp_path / "heads.bin"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    code, err = _verify("--anchors", str(binary))
    assert code == 2 and "not UTF-8" in err and len(err.strip().splitlines()) == 1


def test_unknown_account_or_missing_file_is_named(tmp_path, ledger):
    f = tmp_path / "heads.txt"
    f.write_text(f"{ledger.pk + 1000} 1 {ledger.head_hash}\n", encoding="utf-8")
    code, err = _verify("--anchors", str(f))
    assert code == 1 and f"there is no account {ledger.pk + 1000}" in err


@pytest.mark.django_db(transaction=False)
def test_missing_anchor_file_exits_2_without_a_traceback(tmp_path):
    p = subprocess.run([sys.executable, "manage.py", "ledger_verify", "--anchors",  # noqa: S603
                        str(tmp_path / "nope.txt")], capture_output=True, text=True, timeout=120, check=False)
    assert p.returncode == 2, p.stderr
    assert "Traceback" not in p.stderr and len(p.stderr.strip().splitlines()) == 1
    assert "cannot read" in p.stderr and "nope.txt" in p.stderr


def test_auditor_export_lets_anyone_recompute_the_chain(tree, people, ledger, login):
    """From the export alone, with hashlib and json only: every hash, every link, every hashed field."""
    import json

    from openpyxl import load_workbook

    r = login(people["finance"]).get(reverse("funds:audit_export"))
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    header, rows = rows[0], [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert "canonical" in header and len(rows) == 4
    prev = "0" * 64
    for row in rows:
        assert row["prev_hash"] == prev
        assert hashlib.sha256(f"{prev}\n{row['canonical']}".encode()).hexdigest() == row["hash"]
        doc = json.loads(row["canonical"])
        assert doc["v"] == row["chain_version"] == 2
        for col in ("account_id", "seq", "amount_fen", "kind", "basis", "counterparty_name", "memo"):
            assert doc[col] == ("" if row[col] is None else row[col]), col  # xlsx reads "" back as None
        for col in ("created_by_id", "partner_id", "resolution_type_id", "request_id", "levy_charge_id"):
            assert doc[col] == (row[col] or None), col
        prev = row["hash"]
    assert prev == ledger.head_hash
    assert rows[1]["created_by_id"] == people["finance"].pk  # who booked the payment is in the hash


def test_published_statement_shows_its_head(tree, people, ledger):
    st = services.generate_statement(by=actor(people["finance"]), account=ledger,
                                     month=LedgerEntry.objects.get(account=ledger, seq=4).booked_on)
    services.review_statement(by=actor(people["committee"]), statement=st)
    html = Client().get(reverse("funds:public_ledger", args=[tree.unit.slug])).content.decode()
    section = html[html.index("Published monthly statements"):]
    assert f"#{st.head_seq}" in section and st.head_hash in section


def test_result_notice_records_the_payment_entry_as_printed(tree, people, login):
    """四议两公开: publishing the result records the payment's entry as a printed head; the request page
    shows it in the anchor-file format for the notice."""
    acc = account(tree, people, purpose="self_governance", policy="four_two", name="自治基金")
    req = services.create_request(by=actor(people["secretary"]), account=acc, title="楼道照明", amount_fen=800_00,
                                  category="safety", payee_name="某电工", payee_kind="person")
    for who, step, extra in (("committee", "discuss", {}), ("representative", "review", {}),
                             ("committee2", "resolve", {"resolution_ref": "居民议事会决议 2026-11"}),
                             ("staff", "publish_decision", {})):
        services.sign(by=actor(people[who]), request=req, step=step, **extra)
    paid = services.pay(by=actor(people["finance"]), request=req)
    assert not LedgerAnchor.objects.filter(source="result_notice").exists()
    services.sign(by=actor(people["staff"]), request=req, step="publish_result")
    anchor = LedgerAnchor.objects.get(source="result_notice")
    assert (anchor.account_id, anchor.seq, anchor.hash, anchor.reference) == (acc.pk, paid.seq, paid.hash,
                                                                              f"#{req.pk} {req.title}")
    html = login(people["staff"]).get(reverse("funds:request", args=[req.pk])).content.decode()
    assert f"{acc.pk} {paid.seq} {paid.hash}" in html
    _no_triggers()
    _rehash(acc, changes={paid.seq: {"amount_fen": paid.amount_fen // 10}})  # rewrite the payment, re-hash
    assert verify_all().first_break is None
    code, err = _verify("--account", str(acc.pk))
    assert code == 1 and f"result_notice #{req.pk} {req.title}" in err and "not the printed one" in err


def test_attached_files_are_checked_against_the_hashed_digests(tree, people, settings, tmp_path):
    """An invoice swapped on disk, or detached from its entry, is named by ledger_verify."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from courtyard.core.models import Attachment

    settings.MEDIA_ROOT = str(tmp_path)
    acc = account(tree, people, funded=0)
    pdf = SimpleUploadedFile("invoice.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                             content_type="application/pdf")
    e = services.record_income(by=actor(people["finance"]), account=acc, amount_fen=500_00, basis="donation",
                               counterparty_name="某商户", counterparty_kind="organisation", uploads=[pdf])
    att = Attachment.objects.get(owner_id=str(e.pk))
    assert e.attachment_digests == att.sha256
    assert _verify("--files")[0] == 0
    with open(att.file.path, "wb") as fh:  # the stored invoice replaced
        fh.write(b"%PDF-1.4\n% another invoice\n%%EOF\n")
    assert _verify()[0] == 0  # rows only: the file's content is read with --files
    code, err = _verify("--files")
    assert code == 1 and f"entry #{e.seq}" in err and "no longer has SHA-256" in err
    Attachment.objects.filter(pk=att.pk).update(owner_id="")  # detached
    code, err = _verify()
    assert code == 1 and "is no longer attached" in err
