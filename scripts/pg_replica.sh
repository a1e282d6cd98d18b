#!/usr/bin/env bash
# A real PostgreSQL streaming replica of the local primary, for the read-replica tests (issue 13
# point 7) and for trying the router on a laptop: a second cluster on another port, made with
# pg_basebackup from the running primary, following it over streaming replication (hot standby).
#
#   scripts/pg_replica.sh start    # make (or restart) the replica; idempotent
#   scripts/pg_replica.sh stop     # stop it, drop its replication slot, delete its files; idempotent
#   scripts/pg_replica.sh status   # running? streaming? how far behind?
#
# Then: DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:$PG_REPLICA_PORT/<database>
#
# Environment (defaults):
#   PG_BIN=/usr/lib/postgresql/15/bin      the PostgreSQL tools (Debian's postgresql-15)
#   PG_PRIMARY_HOST=127.0.0.1  PG_PRIMARY_PORT=5432  PG_SUPERUSER=postgres   (trust auth, or PGPASSWORD)
#   PG_REPLICA_PORT=5433       PG_REPLICA_DIR=${TMPDIR:-/tmp}/courtyard-pg-replica-$PG_REPLICA_PORT
#   PG_REPLICA_WAIT=300        seconds to wait for the standby to open for reads
#   PG_REPLICA_RESTART_PRIMARY=0   1: allowed to restart the primary if wal_level/max_wal_senders
#                                  must change (CI); 0: print what to do and stop.
#
# What the primary needs, checked and changed only where it falls short (docs/operations.md):
#   wal_level = replica (or logical) and max_wal_senders >= 2 — the defaults since PostgreSQL 10.
#     Otherwise: ALTER SYSTEM SET wal_level = 'replica'; ALTER SYSTEM SET max_wal_senders = 10;
#     then a RESTART of the primary (pg_ctlcluster 15 main restart) — done here only when
#     PG_REPLICA_RESTART_PRIMARY=1.
#   a pg_hba.conf line letting the replication connection in ("all" does not cover replication):
#     host replication <superuser> 127.0.0.1/32 trust — appended to the primary's hba_file, then
#     SELECT pg_reload_conf() (a reload, no restart).
# As root the clusters run as the `postgres` system user (PostgreSQL refuses to run as root).
set -euo pipefail

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PRIMARY_HOST="${PG_PRIMARY_HOST:-127.0.0.1}"
PRIMARY_PORT="${PG_PRIMARY_PORT:-5432}"
SUPERUSER="${PG_SUPERUSER:-postgres}"
PORT="${PG_REPLICA_PORT:-5433}"
DIR="${PG_REPLICA_DIR:-${TMPDIR:-/tmp}/courtyard-pg-replica-$PORT}"
SLOT="courtyard_replica_$PORT"
HBA_MARK="# courtyard scripts/pg_replica.sh"

say() { printf 'pg_replica: %s\n' "$*"; }
die() { printf 'pg_replica: ERROR: %s\n' "$*" >&2; exit 1; }

[[ -x "$PG_BIN/pg_basebackup" ]] || die "no $PG_BIN/pg_basebackup (install postgresql-15, or set PG_BIN)"

AS=()
if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || die "running as root needs a 'postgres' system user to run the replica"
    AS=(runuser -u postgres --)
fi

primary() { "$PG_BIN/psql" -X -q -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$SUPERUSER" -d postgres -tA -v ON_ERROR_STOP=1 -c "$1"; }
replica() { "$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$PORT" -U "$SUPERUSER" -d postgres -tA -v ON_ERROR_STOP=1 -c "$1"; }
running() { [[ -f "$DIR/postmaster.pid" ]] && "${AS[@]}" "$PG_BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; }
can_replicate() {
    "$PG_BIN/psql" -X -q "host=$PRIMARY_HOST port=$PRIMARY_PORT user=$SUPERUSER replication=true" -c "IDENTIFY_SYSTEM" >/dev/null 2>&1
}

prepare_primary() {
    "$PG_BIN/pg_isready" -q -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" || die "the primary at $PRIMARY_HOST:$PRIMARY_PORT is not running"
    local wal_level senders restart=0
    wal_level="$(primary "SHOW wal_level")"
    senders="$(primary "SHOW max_wal_senders")"
    if [[ "$wal_level" == "minimal" ]]; then
        say "primary: wal_level=minimal -> ALTER SYSTEM SET wal_level = 'replica' (needs a restart)"
        primary "ALTER SYSTEM SET wal_level = 'replica'"
        restart=1
    fi
    if ((senders < 2)); then
        say "primary: max_wal_senders=$senders -> ALTER SYSTEM SET max_wal_senders = 10 (needs a restart)"
        primary "ALTER SYSTEM SET max_wal_senders = 10"
        restart=1
    fi
    if ((restart)); then
        if [[ "${PG_REPLICA_RESTART_PRIMARY:-0}" != "1" ]]; then
            die "restart the primary now (e.g. pg_ctlcluster 15 main restart), or rerun with PG_REPLICA_RESTART_PRIMARY=1"
        fi
        local version
        version="$(primary "SHOW server_version_num")"
        version="${version:0:2}"
        say "restarting the primary (PostgreSQL $version/main)"
        pg_ctlcluster --skip-systemctl-redirect "$version" main restart
        for _ in $(seq 1 30); do "$PG_BIN/pg_isready" -q -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" && break; sleep 1; done
    fi
    if ! can_replicate; then
        local hba
        hba="$(primary "SHOW hba_file")"
        [[ -w "$hba" ]] || die "the primary refuses replication connections and $hba is not writable: add
    host replication $SUPERUSER 127.0.0.1/32 trust
then SELECT pg_reload_conf();"
        say "primary: appending 'host replication $SUPERUSER 127.0.0.1/32 trust' to $hba, then pg_reload_conf()"
        printf '%s\nhost replication %s 127.0.0.1/32 trust\n' "$HBA_MARK" "$SUPERUSER" >>"$hba"
        primary "SELECT pg_reload_conf()" >/dev/null
        sleep 1
        can_replicate || die "the primary still refuses replication connections (check $hba)"
    fi
}

# Settings a hot standby must hold at least as high as its primary.
standby_conf() {
    local name
    {
        echo "# written by scripts/pg_replica.sh: a hot standby of $PRIMARY_HOST:$PRIMARY_PORT"
        echo "port = $PORT"
        echo "listen_addresses = '127.0.0.1'"
        echo "unix_socket_directories = '$DIR'"
        echo "hot_standby = on"
        echo "hba_file = '$DIR/pg_hba.conf'"
        echo "ident_file = '$DIR/pg_ident.conf'"
        echo "shared_buffers = 32MB"
        echo "fsync = off"
        echo "logging_collector = off"
        for name in max_connections max_worker_processes max_wal_senders max_prepared_transactions \
            max_locks_per_transaction; do
            echo "$name = $(primary "SHOW $name")"
        done
    } >"$DIR/postgresql.conf"
    printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' >"$DIR/pg_hba.conf"
    : >"$DIR/pg_ident.conf"
    chmod 600 "$DIR/postgresql.conf" "$DIR/pg_hba.conf" "$DIR/pg_ident.conf"
    if ((${#AS[@]})); then chown postgres:postgres "$DIR/postgresql.conf" "$DIR/pg_hba.conf" "$DIR/pg_ident.conf"; fi
}

wait_streaming() {
    local state="" waited=0 limit="${PG_REPLICA_WAIT:-300}"
    # A hot standby opens for reads once it holds a snapshot of the primary's transactions; while a
    # transaction with more than 64 subtransactions (a test's savepoints) is open on the primary it
    # cannot, and waits for it to end. Start the replica before the tests.
    until "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; do
        if ((waited >= 10)) && ! running; then die "the replica did not start (log: $DIR/replica.log)"; fi
        ((waited == 10)) && say "waiting for the standby to open for reads (open transactions on the primary?)"
        ((waited >= limit)) && die "the standby on port $PORT is not accepting connections after ${limit} s (log: $DIR/replica.log)"
        sleep 1
        waited=$((waited + 1))
    done
    for _ in $(seq 1 60); do
        state="$(replica "SELECT status FROM pg_stat_wal_receiver" 2>/dev/null || true)"
        [[ "$state" == "streaming" ]] && break
        sleep 1
    done
    [[ "$(replica "SELECT pg_is_in_recovery()")" == "t" ]] || die "port $PORT is not a standby (stop it first)"
    [[ "$state" == "streaming" ]] || die "the replica on port $PORT is not streaming (log: $DIR/replica.log)"
    say "replica streaming from $PRIMARY_HOST:$PRIMARY_PORT on 127.0.0.1:$PORT ($DIR)"
}

start() {
    prepare_primary
    if running; then
        say "already running from $DIR"
        wait_streaming
        return
    fi
    if [[ -f "$DIR/standby.signal" && -f "$DIR/PG_VERSION" ]] \
        && [[ -n "$(primary "SELECT 1 FROM pg_replication_slots WHERE slot_name = '$SLOT'")" ]]; then
        say "starting the existing replica in $DIR"
    else
        rm -rf "$DIR"
        primary "SELECT pg_drop_replication_slot('$SLOT') FROM pg_replication_slots WHERE slot_name = '$SLOT'" >/dev/null
        mkdir -p "$DIR"
        chmod 700 "$DIR"
        if ((${#AS[@]})); then chown postgres:postgres "$DIR"; fi
        say "pg_basebackup from $PRIMARY_HOST:$PRIMARY_PORT into $DIR (slot $SLOT)"
        "${AS[@]}" "$PG_BIN/pg_basebackup" -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$SUPERUSER" -D "$DIR" \
            --write-recovery-conf --wal-method=stream --checkpoint=fast --create-slot --slot="$SLOT" --no-password
        standby_conf
    fi
    "${AS[@]}" "$PG_BIN/pg_ctl" -D "$DIR" -l "$DIR/replica.log" -W start >/dev/null
    wait_streaming
}

stop() {
    if running; then
        "${AS[@]}" "$PG_BIN/pg_ctl" -D "$DIR" -m fast -w stop >/dev/null
        say "stopped the replica on port $PORT"
    fi
    if "$PG_BIN/pg_isready" -q -h "$PRIMARY_HOST" -p "$PRIMARY_PORT"; then
        primary "SELECT pg_drop_replication_slot('$SLOT') FROM pg_replication_slots WHERE slot_name = '$SLOT'" >/dev/null
    fi
    rm -rf "$DIR"
}

status() {
    if ! running; then
        say "not running (port $PORT, $DIR)"
        return 1
    fi
    replica "SELECT 'in recovery: ' || pg_is_in_recovery() || ', receiver: ' || coalesce((SELECT status FROM pg_stat_wal_receiver), 'none') || ', replayed: ' || coalesce(pg_last_wal_replay_lsn()::text, '-')"
    primary "SELECT 'primary at ' || pg_current_wal_lsn() || ', ' || (SELECT count(*) FROM pg_stat_replication) || ' standby(s) streaming'"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
