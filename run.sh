#!/usr/bin/env bash
# The run command: install, migrate, load the demo centre, print the staff login, and start the
# site on http://127.0.0.1:8000 with a Celery worker (and beat) beside it. Ctrl-C stops both.
# Running it again keeps the database and everything in it.
set -euo pipefail
cd "$(dirname "$0")"
EXTRAS="" source scripts/bootstrap.sh

if [ ! -f .env ]; then
    # Local development settings; production sets its own environment (see README).
    printf 'DEBUG=1\nSECRET_KEY=%s\n' "$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')" > .env
fi

"$PY" manage.py migrate --noinput
"$PY" manage.py seed_demo --if-empty
"$PY" manage.py ensure_staff_login

.venv/bin/celery -A stadshart worker --beat --loglevel=INFO --concurrency=2 &
worker=$!
trap 'kill -TERM "$worker" 2>/dev/null; wait "$worker" 2>/dev/null' EXIT
"$PY" manage.py runserver "127.0.0.1:${PORT:-8000}"
