"""Database-level guarantees for the ledger (docs/adr/0004-ledger-integrity.md).

1. funds_ledgerentry and funds_approvalstep are append-only: UPDATE and DELETE are refused.
2. A payment row is refused unless its request, as the database sees it at insert time,
   is in state 'approved', has every required step signed with decision 'approve', by at least
   `required_people` distinct people, and the payment amount equals minus the request amount.
3. An approval step by the request's own requester is refused (except the 'propose' step
   of 四议两公开, which the party branch's proposer records on creation).
The one-payment-per-request rule is a partial unique index (migration 0001).

SQLite: BEFORE triggers with RAISE(ABORT). PostgreSQL: plpgsql functions. As with core 0004,
a later migration that rebuilds these tables on SQLite must re-run `forwards`.
"""

from django.db import migrations

APPEND_ONLY = ("funds_ledgerentry", "funds_approvalstep")
MSG_APPEND = "ledger rows are append-only"
MSG_PAY = "payment refused: the request is not fully approved"
MSG_OWN = "nobody approves their own request"

_APPROVED_COUNT = """(SELECT COUNT(DISTINCT s.step) FROM funds_approvalstep s
     WHERE s.request_id = NEW.request_id AND s.decision = 'approve')"""
_PEOPLE_COUNT = """(SELECT COUNT(DISTINCT s.decided_by_id) FROM funds_approvalstep s
     WHERE s.request_id = NEW.request_id AND s.decision = 'approve')"""

SQLITE_CREATE = []
SQLITE_DROP = []
for table in APPEND_ONLY:
    for op in ("update", "delete"):
        name = f"{table}_no_{op}"
        SQLITE_CREATE.append(f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {op.upper()} ON {table} "
                             f"BEGIN SELECT RAISE(ABORT, '{MSG_APPEND}'); END")
        SQLITE_DROP.append(f"DROP TRIGGER IF EXISTS {name}")
SQLITE_CREATE += [
    f"""CREATE TRIGGER IF NOT EXISTS funds_ledgerentry_payment_approved
    BEFORE INSERT ON funds_ledgerentry WHEN NEW.kind = 'payment'
    BEGIN
      SELECT RAISE(ABORT, '{MSG_PAY}')
      WHERE NOT EXISTS (
        SELECT 1 FROM funds_expenditurerequest r
        WHERE r.id = NEW.request_id AND r.state = 'approved' AND NEW.amount_fen = -r.amount_fen
          AND {_APPROVED_COUNT} >= r.required_steps AND {_PEOPLE_COUNT} >= r.required_people);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS funds_approvalstep_not_own
    BEFORE INSERT ON funds_approvalstep WHEN NEW.step <> 'propose'
    BEGIN
      SELECT RAISE(ABORT, '{MSG_OWN}')
      WHERE EXISTS (SELECT 1 FROM funds_expenditurerequest r
                    WHERE r.id = NEW.request_id AND r.requested_by_id = NEW.decided_by_id);
    END""",
]
SQLITE_DROP += ["DROP TRIGGER IF EXISTS funds_ledgerentry_payment_approved",
                "DROP TRIGGER IF EXISTS funds_approvalstep_not_own"]

POSTGRES_CREATE = [
    f"""CREATE OR REPLACE FUNCTION funds_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION '{MSG_APPEND}' USING ERRCODE = 'restrict_violation'; END;
    $$ LANGUAGE plpgsql""",
    f"""CREATE OR REPLACE FUNCTION funds_payment_approved() RETURNS trigger AS $$
    BEGIN
      IF NEW.kind = 'payment' AND NOT EXISTS (
        SELECT 1 FROM funds_expenditurerequest r
        WHERE r.id = NEW.request_id AND r.state = 'approved' AND NEW.amount_fen = -r.amount_fen
          AND {_APPROVED_COUNT} >= r.required_steps AND {_PEOPLE_COUNT} >= r.required_people)
      THEN RAISE EXCEPTION '{MSG_PAY}' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END;
    $$ LANGUAGE plpgsql""",
    f"""CREATE OR REPLACE FUNCTION funds_step_not_own() RETURNS trigger AS $$
    BEGIN
      IF NEW.step <> 'propose' AND EXISTS (
        SELECT 1 FROM funds_expenditurerequest r WHERE r.id = NEW.request_id AND r.requested_by_id = NEW.decided_by_id)
      THEN RAISE EXCEPTION '{MSG_OWN}' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END;
    $$ LANGUAGE plpgsql""",
]
POSTGRES_DROP = []
for table in APPEND_ONLY:
    POSTGRES_CREATE += [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
                        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                        f"FOR EACH ROW EXECUTE FUNCTION funds_append_only()"]
    POSTGRES_DROP.append(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
POSTGRES_CREATE += [
    "DROP TRIGGER IF EXISTS funds_ledgerentry_payment_approved ON funds_ledgerentry",
    "CREATE TRIGGER funds_ledgerentry_payment_approved BEFORE INSERT ON funds_ledgerentry "
    "FOR EACH ROW EXECUTE FUNCTION funds_payment_approved()",
    "DROP TRIGGER IF EXISTS funds_approvalstep_not_own ON funds_approvalstep",
    "CREATE TRIGGER funds_approvalstep_not_own BEFORE INSERT ON funds_approvalstep "
    "FOR EACH ROW EXECUTE FUNCTION funds_step_not_own()",
]
POSTGRES_DROP += [
    "DROP TRIGGER IF EXISTS funds_ledgerentry_payment_approved ON funds_ledgerentry",
    "DROP TRIGGER IF EXISTS funds_approvalstep_not_own ON funds_approvalstep",
    "DROP FUNCTION IF EXISTS funds_append_only()",
    "DROP FUNCTION IF EXISTS funds_payment_approved()",
    "DROP FUNCTION IF EXISTS funds_step_not_own()",
]


def _run(schema_editor, statements):
    for sql in statements:
        schema_editor.execute(sql)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_CREATE)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_CREATE)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_DROP)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_DROP)


class Migration(migrations.Migration):
    dependencies = [("funds", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
