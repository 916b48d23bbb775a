"""Fault run: kill the sending worker twenty times at random (SIGKILL) and restart Redis once.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stadshart_bench_newsletter \\
        .venv/bin/python -m bench.newsletter_fault_run --kills 20

Uses its own redis-server on port 6390 (never the machine's shared Redis), a real worker, an
SMTP sink in its own process that notes every message it accepts, and plays Celery beat itself
(dispatch every second: reaper and restarts). After the kills it lets the last worker finish and
prints what it counted: messages per recipient, duplicates, losses. The documented window: a
worker killed after the SMTP server accepted a message and before its sent mark was written sends that
one message twice, so duplicates <= kills.
"""

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench import common

REDIS_PORT = 6390
os.environ["CELERY_BROKER_URL"] = f"redis://127.0.0.1:{REDIS_PORT}/0"
common.newsletter_defaults()
BASE = common.BASE


def start_redis(folder: Path) -> subprocess.Popen:
    server = shutil.which("redis-server")
    if server is None:
        sys.exit("redis-server is not installed")
    process = subprocess.Popen(  # noqa: S603
        [server, "--port", str(REDIS_PORT), "--save", "", "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    return process


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument(
        "--rate", type=int, default=60, help="messages a second (the send must outlast the kills)"
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    folder = Path(tempfile.mkdtemp())
    redis = start_redis(folder)
    common.ensure_database()
    common.setup_django()
    common.ensure_audience(10_000, 1000)

    from django.conf import settings

    from newsletter import services, tasks
    from newsletter.models import Delivery, Send
    from newsletter.tasks import send_newsletter_batches

    arrivals = folder / "arrivals"
    smtp_port = common.free_port()
    queue = f"bench-fault-{os.getpid()}"
    worker_env = {
        **os.environ,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "NEWSLETTER_TASK_QUEUE": queue,
        "NEWSLETTER_RATE_LIMIT": str(args.rate),
        "NEWSLETTER_CLAIM_TIMEOUT": "5",
        "LOG_LEVEL": "WARNING",
    }
    settings.NEWSLETTER_TASK_QUEUE = queue
    settings.NEWSLETTER_CLAIM_TIMEOUT = 5
    settings.NEWSLETTER_IDLE_RESTART_SECONDS = 3

    def enqueue(send_id):
        """start_workers, tolerant of the moment Redis is down (beat tries again a second later)."""
        Send.objects.filter(pk=send_id).update(worked_at=None)
        try:
            send_newsletter_batches.apply_async((send_id,), queue=queue, retry=False)
        except Exception as error:  # noqa: BLE001
            print(f"  (could not enqueue: {error.__class__.__name__})", flush=True)

    tasks.start_workers = enqueue

    def start_worker():
        return subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "celery", "-A", "stadshart", "worker", "--pool=solo", "-Q", queue]
            + ["--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=ERROR"],
            cwd=BASE,
            env=worker_env,
        )

    def beat():
        try:
            tasks.dispatch_due_work()
        except Exception as error:  # noqa: BLE001
            print(f"  (beat: {error.__class__.__name__})", flush=True)

    sink = common.start_sink(smtp_port, arrivals)
    worker = start_worker()
    time.sleep(4)
    page = common.newsletter("fault", {"streets": ["Proefstraat"]})
    send = services.queue_send(page)
    total = send.deliveries.count()
    print(f"sending {total} messages at {args.rate}/s; {args.kills} kills, one Redis restart", flush=True)
    try:
        for kill in range(1, args.kills + 1):
            # Kill in the middle of sending: once the new worker has handed over messages.
            before = common.arrived(arrivals)
            started = time.monotonic()
            while common.arrived(arrivals) == before and time.monotonic() - started < 120:
                beat()
                time.sleep(0.2)
            pause = rng.uniform(0.2, 3)
            until = time.monotonic() + pause
            while time.monotonic() < until:
                beat()
                time.sleep(0.5)
            worker.send_signal(signal.SIGKILL)
            worker.wait()
            handed_over = common.arrived(arrivals)
            print(
                f"kill {kill:2d}, {pause:.1f} s into sending; {handed_over} messages handed over so far",
                flush=True,
            )
            if kill == args.kills // 2:
                redis.send_signal(signal.SIGTERM)
                redis.wait()
                time.sleep(1)
                redis = start_redis(folder)
                print("   Redis restarted (its queue is empty now)", flush=True)
            worker = start_worker()
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline:
            beat()
            send.refresh_from_db()
            if send.status == Send.Status.SENT:
                break
            time.sleep(1)
        time.sleep(1)
        received = Counter(address for _at, address in common.arrivals(arrivals))
        expected = set(Delivery.objects.filter(send=send).values_list("email", flat=True))
        duplicates = sum(count - 1 for count in received.values())
        lost = expected - set(received)
        statuses = Counter(Delivery.objects.filter(send=send).values_list("status", flat=True))
        print(f"send status: {send.status}; deliveries: {dict(statuses)}")
        print(
            f"recipients {len(expected)}, messages received {sum(received.values())}, "
            f"duplicates {duplicates} (bound: one per kill = {args.kills}), lost {len(lost)}"
        )
        common.emit(
            "newsletter_fault_run",
            kills=args.kills,
            rate=args.rate,
            status=send.status,
            recipients=len(expected),
            received=sum(received.values()),
            duplicates=duplicates,
            lost=len(lost),
        )
    finally:
        for process in (worker, sink, redis):
            process.send_signal(signal.SIGTERM)
        for process in (worker, sink, redis):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    main()
