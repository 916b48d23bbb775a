#!/usr/bin/env bash
# The test command: install what the tests need (Debian's chromium included) and run them all.
# Arguments go to pytest. Set DATABASE_URL / CELERY_BROKER_URL to test against PostgreSQL / Redis.
set -euo pipefail
cd "$(dirname "$0")"
EXTRAS="test" source scripts/bootstrap.sh

# chromium-l10n brings the Dutch locale: without it Chromium shows a date field as mm/dd/yyyy.
if ! command -v chromium >/dev/null 2>&1 || [ ! -e /usr/lib/chromium/locales/nl.pak ]; then
    echo "Installing Debian's chromium (with its Dutch locale) for the browser tests"
    sudo_cmd=""
    [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends chromium chromium-l10n fonts-dejavu-core >/dev/null
fi

if ! command -v spamassassin >/dev/null 2>&1; then
    echo "Installing Debian's spamassassin for the newsletter's spam score test"
    sudo_cmd=""
    [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends spamassassin >/dev/null
fi

exec "$PY" -m pytest "$@"
