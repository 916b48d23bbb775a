"""A newsletter sent by real worker processes through a real broker into a real SMTP server.

The test process plays Celery beat (it calls the dispatch job every second), so a worker killed
with SIGKILL leaves nothing behind that could keep working.
"""

import signal
import subprocess
import sys
import time
import uuid
from collections import Counter

import pytest
from django.db import connection

from newsletter import services, tasks
from newsletter.models import Delivery, Send
from newsletter.tasks import send_newsletter_batches
from stadshart.celery import app
from tests.builders import audience, make_segment, published_newsletter
from tests.services import BASE_DIR, Sink, child_env, database_url, redis_url, wait_for


@pytest.fixture(params=["redis", "filesystem"])
def broker(request, tmp_path):
    """(url, transport options, extra environment for the worker), as in test_worker.py."""
    if request.param == "redis":
        return redis_url(), {}, {}
    folder, control = tmp_path / "queue", tmp_path / "control"
    folder.mkdir()
    control.mkdir()
    (tmp_path / "celery").mkdir()
    (tmp_path / "celery" / "queue").symlink_to(folder)
    (tmp_path / "celery" / "control").symlink_to(control)
    options = {"data_folder_in": str(folder), "data_folder_out": str(folder), "control_folder": str(control)}
    return "filesystem://", options, {"STADSHART_VAR_DIR": str(tmp_path)}


class Workers:
    """Starts worker processes on one queue, all pointed at the test database and the sink."""

    def __init__(self, broker, sink, tmp_path, **settings):
        self.url, self.options, extra = broker
        self.queue = f"newsletter-{uuid.uuid4().hex[:8]}"
        self.tmp_path = tmp_path
        self.env = child_env(
            DATABASE_URL=database_url(connection.settings_dict),
            CELERY_BROKER_URL=self.url,
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(sink.port),
            NEWSLETTER_TASK_QUEUE=self.queue,
            SITE_URL="http://testserver",
            **extra,
            **{key: str(value) for key, value in settings.items()},
        )
        self.processes = []

    def start(self) -> subprocess.Popen:
        log = open(self.tmp_path / f"worker-{len(self.processes)}.log", "w")  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "stadshart", "worker", "--pool=solo", "--loglevel=INFO"]
            + ["-Q", self.queue, "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append(process)
        return process

    def enqueue(self, send_id: int) -> None:
        """What tasks.start_workers does, through the test's broker connection."""
        Send.objects.filter(pk=send_id).update(worked_at=None)
        with app.connection_for_write(self.url, transport_options=self.options) as conn:
            send_newsletter_batches.apply_async((send_id,), queue=self.queue, connection=conn)

    def logs(self) -> str:
        return "\n".join(path.read_text() for path in sorted(self.tmp_path.glob("worker-*.log")))

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()


def play_beat_until_sent(send, workers, *, timeout):
    def done():
        tasks.dispatch_due_work()
        send.refresh_from_db()
        return send.status == Send.Status.SENT

    return wait_for(done, timeout=timeout, interval=1.0)


@pytest.fixture
def running(broker, tmp_path, monkeypatch, request):
    with Sink(delay=getattr(request, "param", 0.0)) as sink:
        workers = Workers(
            broker,
            sink,
            tmp_path,
            NEWSLETTER_BATCH_SIZE=20,
            NEWSLETTER_CLAIM_TIMEOUT=4,
            NEWSLETTER_IDLE_RESTART_SECONDS=3,
        )
        monkeypatch.setattr(tasks, "start_workers", workers.enqueue)
        monkeypatch.setattr("django.conf.settings.NEWSLETTER_CLAIM_TIMEOUT", 4)
        monkeypatch.setattr("django.conf.settings.NEWSLETTER_IDLE_RESTART_SECONDS", 3)
        try:
            yield sink, workers
        finally:
            workers.stop()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_sends_a_newsletter_to_every_recipient_once(running):
    sink, workers = running
    addresses = audience(40)
    workers.start()
    send = services.queue_send(published_newsletter(segments=[make_segment()]))

    assert play_beat_until_sent(send, workers, timeout=90), workers.logs()

    assert sorted(sink.recipients()) == sorted(addresses)
    assert set(Delivery.objects.filter(send=send).values_list("status", flat=True)) == {"sent"}
    assert len(sink.peers()) == 2  # batches of 20: one SMTP connection each


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("running", [0.01], indirect=True)
def test_a_worker_killed_mid_send_loses_nothing_and_duplicates_at_most_its_message_in_flight(running):
    sink, workers = running
    addresses = audience(300)
    first = workers.start()
    send = services.queue_send(published_newsletter(segments=[make_segment()]))

    assert wait_for(lambda: len(sink.recipients()) >= 60, timeout=90), workers.logs()
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    handed_over_before_kill = len(sink.recipients())
    assert handed_over_before_kill < 300, "the send finished before the kill; slow the sink down"
    workers.start()

    assert play_beat_until_sent(send, workers, timeout=120), workers.logs()

    received = Counter(sink.recipients())
    duplicates = sum(count - 1 for count in received.values())
    assert set(received) == set(addresses)  # nobody lost
    assert duplicates <= 1, received.most_common(3)  # at most the one message in flight at the kill
    assert set(Delivery.objects.filter(send=send).values_list("status", flat=True)) == {"sent"}
    time.sleep(0)  # (for readability of the report below)
    print(f"killed after {handed_over_before_kill} messages; duplicates: {duplicates}")
