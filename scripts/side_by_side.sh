#!/usr/bin/env bash
# Acceptance 7 of issue 8: two checkouts run `make run` side by side on different ports,
# databases, Redis databases and queues without colliding. Clones this checkout's HEAD
# twice into a temporary folder (sharing this .venv), starts `make run` in each, and
# checks that both answer /healthz 200 and serve their pages, then stops both.
# Usage: bash scripts/side_by_side.sh [PORT_A PORT_B]   (needs PostgreSQL and Redis)
# SHARED_REDIS=1: both on one Redis database with no queue named, only PORT and
# DATABASE_URL differ (the queue and cache keys then follow the database's name).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PORT_A=${1:-8191}
PORT_B=${2:-8192}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/vanke-side-by-side.XXXXXX")
pids=()
stop() {
  # Each `make run` leads its own process group (setsid): stop the whole group.
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop EXIT

start() {  # name port redis-db
  local name=$1 port=$2 redis_db=$3 dir="$WORK/$1"
  git clone --quiet --local "$ROOT" "$dir"
  ln -s "$ROOT/.venv" "$dir/.venv"
  if [ -n "${SHARED_REDIS:-}" ]; then
    own_services=(REDIS_URL="redis://127.0.0.1:6379/$SHARED_REDIS")
  else
    own_services=(REDIS_URL="redis://127.0.0.1:6379/$redis_db"
      CELERY_TASK_DEFAULT_QUEUE="vanke_side_$name")
  fi
  # Both clones share this .venv: `-o` keeps make from reinstalling it.
  (
    cd "$dir"
    exec env -u DJANGO_SETTINGS_MODULE -u DEBUG -u ALLOWED_HOSTS -u PUBLIC_BASE_URL \
      -u TEST_DB_NAME -u DJANGO_ALLOW_ASYNC_UNSAFE -u CELERY_TASK_DEFAULT_QUEUE -u REDIS_URL \
      PORT="$port" DATABASE_URL="postgres://postgres@127.0.0.1:5432/vanke_side_$name" \
      "${own_services[@]}" setsid make -o .venv/.installed run >"$WORK/$name.log" 2>&1
  ) &
  pids+=($!)
}

for name in a b; do
  dropdb -h 127.0.0.1 -U postgres --if-exists "vanke_side_$name"
  createdb -h 127.0.0.1 -U postgres "vanke_side_$name"
done
start a "$PORT_A" 14
start b "$PORT_B" 15

status=0
for spec in "a $PORT_A" "b $PORT_B"; do
  set -- $spec
  name=$1 port=$2
  if ! "$ROOT/.venv/bin/python" "$ROOT/scripts/wait_healthy.py" "http://127.0.0.1:$port/healthz" \
      --timeout 900; then
    echo "FAIL $name: /healthz on :$port never answered 200"; status=1; continue
  fi
  # The URL is printed only once healthy: wait for it, then check it was healthy then.
  for _ in $(seq 60); do grep -q "vanke_crm is running at" "$WORK/$name.log" && break; sleep 1; done
  login=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/accounts/login/")
  risk=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/schema/")
  echo "$name on :$port: healthz 200, login page $login, schema $risk," \
    "URL printed: $(grep -c 'vanke_crm is running at' "$WORK/$name.log")," \
    "control socket: $(test -S "$WORK/$name/var/gunicorn.ctl" && echo "var/gunicorn.ctl" || echo missing)"
  queue=$(grep -o '^ *\.> [^ ]*' "$WORK/$name.log" | head -1 | sed 's/.*\.> //')
  echo "$name worker consumes queue: ${queue:-?}"
  [ "$login" = 200 ] || status=1
done
for name in a b; do
  if grep -q "DuplicateNodenameWarning\|Address already in use\|already running" "$WORK/$name.log" \
      "$WORK/$name/var/log/"*.log 2>/dev/null; then
    echo "FAIL $name: collision in its logs"; status=1
  fi
done
echo "logs: $WORK"
exit $status
