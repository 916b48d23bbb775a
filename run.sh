#!/usr/bin/env bash
# The run command: install, migrate, load the demo centre, print the staff login, and start the
# site on http://127.0.0.1:8000 (or $PORT) with a Celery worker (and beat) beside it. Ctrl-C stops
# both within seconds. Running it again keeps the database and everything in it.
set -euo pipefail
cd "$(dirname "$0")"
EXTRAS="" source scripts/bootstrap.sh

if [ ! -f .env ]; then
    # Local development settings; production sets its own environment (see README).
    printf 'DEBUG=1\nSECRET_KEY=%s\n' "$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')" > .env
fi

# Links in the printed login and in mail point at the port the site runs on.
grep -q "^SITE_URL=" .env || export SITE_URL="${SITE_URL:-http://127.0.0.1:${PORT:-8000}}"

"$PY" manage.py migrate --noinput
"$PY" manage.py seed_demo --if-empty
"$PY" manage.py ensure_staff_login

exec scripts/serve.sh
