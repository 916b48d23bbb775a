"""The command-line way to send: newsletter_send SLUG [--dry-run] [--at] and newsletter_status SLUG."""

import io

import pytest
from django.core.management import CommandError, call_command

from newsletter import tasks
from newsletter.models import Send
from tests.builders import audience, make_segment, published_newsletter


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    monkeypatch.setattr(tasks, "start_workers", lambda send_id: None)


def test_dry_run_prints_the_audience_and_queues_nothing(db):
    audience(3)
    page = published_newsletter(segments=[make_segment()])
    assert "Audience: 3 recipients" in run("newsletter_send", page.slug, "--dry-run")
    assert not Send.objects.exists()


def test_send_queues_and_status_reports_progress(db):
    audience(3)
    page = published_newsletter(segments=[make_segment()])
    output = run("newsletter_send", page.slug)
    assert "Audience: 3 recipients" in output and "3 messages" in output
    assert "queued; 3 messages: 3 queued, 0 sending, 0 sent" in run("newsletter_status", page.slug)


def test_scheduled_send_and_clear_errors(db):
    audience(1)
    page = published_newsletter(segments=[make_segment()])
    assert "2099-12-01 09:00" in run("newsletter_send", page.slug, "--at", "2099-12-01T09:00")
    assert Send.objects.get().status == Send.Status.SCHEDULED
    with pytest.raises(CommandError, match="al verzonden"):
        run("newsletter_send", page.slug)
    with pytest.raises(CommandError, match="not a date"):
        run("newsletter_send", page.slug, "--at", "morgen")
    with pytest.raises(CommandError, match="No newsletter"):
        run("newsletter_status", "bestaat-niet")
    unapproved = published_newsletter(segments=[make_segment()], approve=False)
    with pytest.raises(CommandError, match="approved"):
        run("newsletter_send", unapproved.slug)
