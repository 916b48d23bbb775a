"""Sent marks written without waiting (newsletter/sending/sent_marks.py) against a real PostgreSQL.

The pipeline's crash window rests on one claim: once a mark is written to PostgreSQL's socket it
is committed, even if the worker dies before the answer comes back. These tests kill a real
process right after a mark, cut the mark connection under a sender, and hand a claim back
before its mark arrives.
"""

import logging
import subprocess
import sys
import textwrap
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from newsletter import services, tasks
from newsletter.models import Delivery
from newsletter.sending import claims as sending_claims
from newsletter.sending.sent_marks import SentMarks
from tests.builders import audience, make_segment, published_newsletter
from tests.services import BASE_DIR, child_env, database_url, missing_service, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def claimed(monkeypatch):
    """Three deliveries of a queued send, claimed as a worker claims them: (token, rows)."""
    if connection.vendor != "postgresql":
        missing_service("PostgreSQL (sent marks are written on a connection of their own)")
    monkeypatch.setattr(tasks, "start_workers", lambda send_id: None)
    audience(3)
    send = services.queue_send(published_newsletter(segments=[make_segment()]))
    return sending_claims.claim_batch(send.pk, size=3)


def test_a_mark_written_just_before_the_worker_is_killed_is_committed(claimed):
    token, rows = claimed
    script = textwrap.dedent(
        f"""
        import os, signal, django
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stadshart.settings")
        django.setup()
        from newsletter.sending.sent_marks import SentMarks
        SentMarks().mark({rows[0].delivery_id}, "<killed@stadshart.example>", {token!r})
        os.kill(os.getpid(), signal.SIGKILL)  # before reading PostgreSQL's answer
        """
    )
    child = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=child_env(DATABASE_URL=database_url(connection.settings_dict)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert child.returncode == -9, child.stderr

    def marked():
        return Delivery.objects.filter(pk=rows[0].delivery_id, status=Delivery.Status.SENT).first()

    delivery = wait_for(marked, timeout=10)
    assert delivery is not None, "the mark was lost with the worker: its message would go out twice"
    assert delivery.esp_message_id == "<killed@stadshart.example>"
    assert delivery.sent_at is not None
    # The others were claimed but not sent: still the worker's, for the reaper to hand back.
    assert Delivery.objects.filter(pk__in=[r.delivery_id for r in rows[1:]], status="sending").count() == 2


def test_a_mark_connection_cut_between_two_marks_marks_both_anyway(claimed, caplog):
    token, rows = claimed
    marks = SentMarks()
    marks.mark(rows[0].delivery_id, "<one@stadshart.example>", token)
    marks.wait()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [marks.wrapper.connection.info.backend_pid])

    with caplog.at_level(logging.WARNING, logger="newsletter.sending.sent_marks"):
        marks.mark(rows[1].delivery_id, "<two@stadshart.example>", token)
        marks.mark(rows[2].delivery_id, "<three@stadshart.example>", token)
        marks.wait()
    marks.close()

    stored = dict(Delivery.objects.filter(pk__in=[r.delivery_id for r in rows]).values_list("pk", "status"))
    assert set(stored.values()) == {"sent"}
    assert "marking it again" in caplog.text or "not written on the mark connection" in caplog.text


def test_a_mark_for_a_claim_handed_back_changes_nothing_and_says_so(claimed, caplog):
    token, rows = claimed
    sending_claims.reap_stale_claims(now=timezone.now() + timedelta(hours=1))  # the worker looked dead
    assert Delivery.objects.filter(pk=rows[0].delivery_id).values_list("status", flat=True).get() == "queued"

    marks = SentMarks()
    with caplog.at_level(logging.WARNING, logger="newsletter.sending.sent_marks"):
        marks.mark(rows[0].delivery_id, "<late@stadshart.example>", token)
        marks.wait()
    marks.close()

    assert Delivery.objects.filter(pk=rows[0].delivery_id).values_list("status", flat=True).get() == "queued"
    assert "claim had been handed back" in caplog.text
