#!/usr/bin/env bash
# Benchmark: load demo data into a PostgreSQL database (once), then drive gunicorn with bench/load.py.
#   bench/run.sh [community|district] [extra bench/load.py args…]
# Env: PGURL (server, default postgres://postgres@127.0.0.1:5432), WORKERS, CONCURRENCY, SECONDS.
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE="${1:-community}"; shift || true
PGURL="${PGURL:-postgres://postgres@127.0.0.1:5432}"
DB="courtyard_bench_${SCALE}"
export DATABASE_URL="${PGURL}/${DB}"
if ! psql "${PGURL}/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='${DB}'" | grep -q 1; then
  createdb -d "${PGURL}/postgres" "${DB}" 2>/dev/null || psql "${PGURL}/postgres" -c "CREATE DATABASE ${DB}"
fi
DJANGO_DEBUG=1 .venv/bin/python manage.py migrate -v0
if ! DJANGO_DEBUG=1 .venv/bin/python manage.py shell -c \
    "from courtyard.org.demo.load import already_loaded; import sys; sys.exit(0 if already_loaded() else 1)"; then
  /usr/bin/time -f "demo_data: %e s, peak RSS %M kB" \
    env DJANGO_DEBUG=1 .venv/bin/python manage.py demo_data --scale "${SCALE}" --seed 1 --batch-size 5000 | tail -1
fi
.venv/bin/python bench/load.py --label "${SCALE}" --workers "${WORKERS:-4}" --concurrency "${CONCURRENCY:-8}" \
  --seconds "${SECONDS_PER_TARGET:-15}" "$@"
