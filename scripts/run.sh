#!/usr/bin/env bash
# Start the web server, a Celery worker and Celery beat; Ctrl-C stops all three.
# `make run`: gunicorn with DEBUG off, the product as users meet it. `make dev` (DEBUG=1):
# Django's runserver instead (auto-reload, technical error pages, static from the sources).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv
# HOST/PORT: where the product listens (default 127.0.0.1:8000). PUBLIC_BASE_URL (the
# links in SMS and e-mail) follows them unless set. Everything this script writes is
# under var/ of this checkout, so two checkouts run side by side on different ports,
# databases (DATABASE_URL), Redis databases (REDIS_URL) and queues
# (CELERY_TASK_DEFAULT_QUEUE) without colliding.
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
case "$HOST" in
  0.0.0.0 | "::") url_host=127.0.0.1 ;;
  *:*) url_host="[$HOST]" ;;
  *) url_host=$HOST ;;
esac
URL="http://$url_host:$PORT/"
export HOST PORT  # the settings allow HOST as a host name, PUBLIC_BASE_URL follows both
export PUBLIC_BASE_URL=${PUBLIC_BASE_URL:-${URL%/}}
mkdir -p var/log
pids=()
cleanup() {
  trap - INT TERM EXIT
  echo; echo "Stopping…"
  for pid in "${pids[@]}"; do
    pkill -TERM -P "$pid" 2>/dev/null || true  # runserver's auto-reloading child
    kill "$pid" 2>/dev/null || true
  done
  wait || true
}
trap cleanup INT TERM EXIT

case "${DEBUG:-}" in
  1 | [Tt]rue | [Yy]es | [Oo]n)
    $VENV/bin/python manage.py runserver "$HOST:$PORT" &
    ;;
  *)
    # The control socket stays in this checkout (gunicorn's default is one shared path
    # under the home directory, which a second checkout would take over).
    $VENV/bin/gunicorn vanke_crm.wsgi:application --bind "$HOST:$PORT" --workers 3 \
      --control-socket var/gunicorn.ctl --access-logfile - --error-logfile - &
    ;;
esac
pids+=($!)
# A node name of its own: two workers on one machine named celery@host would warn of
# a duplicate node and mix up their remote-control replies.
$VENV/bin/celery -A vanke_crm worker --loglevel=INFO --concurrency=2 \
  --hostname "vanke_crm-$PORT@%h" --logfile=var/log/worker.log \
  --pidfile=var/celery-worker.pid &
pids+=($!)
$VENV/bin/celery -A vanke_crm beat --loglevel=INFO --logfile=var/log/beat.log \
  --pidfile=var/celerybeat.pid --schedule=var/celerybeat-schedule &
pids+=($!)

# Print the address once /healthz says everything is up (the worker sends its first
# heartbeat when it starts), not before.
if ! $VENV/bin/python scripts/wait_healthy.py "${URL}healthz" --timeout 120; then
  echo "The product did not become healthy; see var/log/worker.log and the output above."
fi
$VENV/bin/python manage.py demo_logins --url "$URL"
echo "Worker and beat logs: var/log/worker.log, var/log/beat.log. Press Ctrl-C to stop."
wait -n "${pids[@]}"
