#!/usr/bin/env bash
# Start gunicorn, a Celery worker and Celery beat; Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
mkdir -p var/log
pids=()
cleanup() {
  trap - INT TERM EXIT
  echo; echo "Stopping…"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait || true
}
trap cleanup INT TERM EXIT

$VENV/bin/gunicorn vanke_crm.wsgi:application --bind "$HOST:$PORT" --workers 3 \
  --access-logfile - --error-logfile - &
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
