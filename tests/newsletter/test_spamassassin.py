"""SpamAssassin (Debian's, local tests only) scores a real newsletter message below 1.0."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from newsletter.rendering import render_newsletter
from newsletter.sending.mail import build_message
from tests.builders import draft_newsletter, make_image, rich_body
from tests.services import missing_service

pytestmark = pytest.mark.django_db

SPAMASSASSIN = shutil.which("spamassassin")
LIMIT = 1.0


def test_spamassassin_scores_a_rendered_newsletter_below_one(tmp_path, settings):
    if SPAMASSASSIN is None:
        # test.sh installs it; as with PostgreSQL and Redis, CI (REQUIRE_SERVICES=1) fails without it.
        missing_service("Debian's spamassassin (test.sh installs it)")
    settings.SITE_URL = "https://centrumveldhaven.nl"
    newsletter = draft_newsletter(body=rich_body(make_image()))
    rendered = render_newsletter(newsletter.get_latest_revision_as_object(), base_url=settings.SITE_URL)
    message = build_message(
        rendered,
        to_email="fatima@korenschoof.example",
        first_name="Fatima",
        delivery_id=1,
        from_email="Centrum Veldhaven <nieuws@centrumveldhaven.nl>",
        reply_to="info@centrumveldhaven.nl",
        web_url="https://centrumveldhaven.nl/nieuwsbrief/december/",
        message_id_domain="centrumveldhaven.nl",
    )
    raw = message.message().as_bytes()
    # A config dir of the test's own: no site rules, no network tests, no learning, no user prefs.
    for plugins in Path("/etc/spamassassin").glob("*.pre"):
        shutil.copy(plugins, tmp_path)
    (tmp_path / "local.cf").write_text("use_bayes 0\nuse_auto_whitelist 0\nskip_rbl_checks 1\n")
    result = subprocess.run(  # noqa: S603
        [
            SPAMASSASSIN,
            "-L",
            "-t",
            "-x",
            f"--siteconfigpath={tmp_path}",
            f"--prefspath={tmp_path / 'user_prefs'}",
        ],
        input=raw,
        capture_output=True,
        timeout=120,
        check=False,
    )
    output = result.stdout.decode("utf-8", "replace")
    status = re.search(
        r"X-Spam-Status: \w+, score=(-?[\d.]+) required=[\d.]+\s+tests=([^\n]*(?:\n\t[^\n]*)*)", output
    )
    assert status, result.stderr.decode()[-2000:]
    score, tests = float(status.group(1)), re.sub(r"\s+", "", status.group(2)).split("autolearn=")[0]
    assert score < LIMIT, f"SpamAssassin scores the newsletter {score} ({tests})"
    # The preheader is hidden without colouring it like the background.
    assert "HTML_FONT_LOW_CONTRAST" not in tests, f"SpamAssassin scores the newsletter {score} ({tests})"
