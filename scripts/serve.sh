#!/usr/bin/env bash
# The site and a Celery worker (with beat) side by side, as run.sh starts them once the database is
# ready. Ctrl-C (or TERM) stops both within seconds: the worker gets a few seconds to finish its
# task, then stops cold; a task it was running goes back to the queue (acks_late) and, being safe
# to run twice, is done again on the next start.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
port="${PORT:-8000}"

# Its own session, so the terminal's Ctrl-C reaches only the site and we stop the worker ourselves.
setsid .venv/bin/celery -A stadshart worker --beat --loglevel=INFO --concurrency=2 &
worker=$!

stop_worker() {
    kill -TERM -- "-$worker" 2>/dev/null || return 0
    for _ in $(seq 50); do
        kill -0 "$worker" 2>/dev/null || return 0
        sleep 0.1
    done
    echo "The worker is still busy: stopping it now; its task goes back to the queue." >&2
    kill -QUIT -- "-$worker" 2>/dev/null || true
    sleep 1
    kill -KILL -- "-$worker" 2>/dev/null || true
}
trap stop_worker EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# In the foreground: the terminal's Ctrl-C reaches it (a background job would ignore it).
"$PY" manage.py runserver "127.0.0.1:$port"
