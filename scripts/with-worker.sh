#!/bin/sh
# Runs the background worker (manage.py run_worker: e-mail, reminders, exports) beside a
# command, e.g. the development server: `scripts/with-worker.sh .venv/bin/python manage.py
# runserver`. Both stop together: Ctrl+C, the command ending, or the worker dying ends both.
set -u
PY="${PYTHON_BIN:-.venv/bin/python}"
"$PY" manage.py run_worker &
worker=$!
"$@" &
main=$!
stop() {
    kill "$main" "$worker" 2>/dev/null
    wait "$main" "$worker" 2>/dev/null
}
trap 'stop; exit 130' INT TERM
# Whichever ends first ends the other.
while kill -0 "$main" 2>/dev/null && kill -0 "$worker" 2>/dev/null; do
    sleep 1
done
if ! kill -0 "$worker" 2>/dev/null; then echo "The worker stopped; stopping the server too." >&2; fi
stop
wait "$main" 2>/dev/null
