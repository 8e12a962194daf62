#!/usr/bin/env bash
# Start the web server, a Celery worker and Celery beat; Ctrl-C stops all three.
# `make run`: gunicorn with DEBUG off, the product as users meet it. `make dev` (DEBUG=1):
# Django's runserver instead (auto-reload, technical error pages, static from the sources).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
export HOST  # the settings allow it as a host name (vanke_crm/settings/local.py)
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
    $VENV/bin/gunicorn vanke_crm.wsgi:application --bind "$HOST:$PORT" --workers 3 \
      --access-logfile - --error-logfile - &
    ;;
esac
pids+=($!)
$VENV/bin/celery -A vanke_crm worker --loglevel=INFO --concurrency=2 \
  --logfile=var/log/worker.log &
pids+=($!)
$VENV/bin/celery -A vanke_crm beat --loglevel=INFO --logfile=var/log/beat.log \
  --pidfile=var/celerybeat.pid &
pids+=($!)

sleep 2
$VENV/bin/python manage.py demo_logins --url "http://$HOST:$PORT/"
echo "Worker and beat logs: var/log/worker.log, var/log/beat.log. Press Ctrl-C to stop."
wait -n "${pids[@]}"
