"""Benchmark: one-click unsubscribes (RFC 8058 POSTs) while a newsletter is being sent.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stadshart_bench_newsletter \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/4 \\
        .venv/bin/python -m bench.newsletter_unsubscribe --unsubscribes 500

A real worker sends a newsletter at NEWSLETTER_RATE_LIMIT messages a second into an SMTP sink
that notes when each message arrives; gunicorn (3 processes, as docker/Dockerfile runs it) answers
one-click POSTs from 8 concurrent clients for recipients whose message is still queued.
Prints the POST latency (median, p95, max) and, for every unsubscribed address, whether a
message still reached it after the unsubscribe was answered, and how late. Target: p95 under
200 ms; nothing handed over more than a minute after the unsubscribe (by design: at most the
batch already claimed, a few seconds).
"""

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench import common

BASE = common.BASE
common.newsletter_defaults()


# The web processes run as in production (DEBUG off: no static-file rescans per request), with
# the same key as this process, which signs the tokens; plain HTTP on loopback.
PRODUCTION = {
    "DEBUG": "0",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "SECURE_HSTS_SECONDS": "0",
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--unsubscribes", type=int, default=500)
    parser.add_argument("--rate", type=int, default=100, help="the ESP rate limit, messages a second")
    args = parser.parse_args()

    common.ensure_database()
    common.setup_django()
    common.ensure_audience(10_000, 1000)

    from django.conf import settings

    from newsletter import services, tokens
    from newsletter.models import Delivery, Send

    folder = Path(tempfile.mkdtemp())
    arrivals = folder / "arrivals"
    smtp_port, web_port = common.free_port(), common.free_port()
    sink = common.start_sink(smtp_port, arrivals)
    queue = f"bench-unsub-{os.getpid()}"
    env = {
        **os.environ,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "NEWSLETTER_TASK_QUEUE": queue,
        "NEWSLETTER_RATE_LIMIT": str(args.rate),
        "CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    processes = [
        sink,
        subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "celery", "-A", "stadshart", "worker", "--pool=solo", "-Q", queue]
            + ["--without-gossip", "--without-mingle", "--loglevel=WARNING"],
            cwd=BASE,
            env=env,
        ),
        subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "gunicorn", "stadshart.wsgi:application", "--workers", "3", "--preload"]
            + ["--bind", f"127.0.0.1:{web_port}", "--log-level", "warning"],
            cwd=BASE,
            env={**env, **PRODUCTION, "SECRET_KEY": settings.SECRET_KEY},
        ),
    ]
    try:
        time.sleep(5)
        settings.NEWSLETTER_TASK_QUEUE = queue
        page = common.newsletter("unsubscribe", {"streets": ["Proefstraat"]})
        send = services.queue_send(page)
        time.sleep(3)  # the send is under way
        # The last recipients in line: their messages are still queued when they unsubscribe.
        targets = list(
            Delivery.objects.filter(send=send, status=Delivery.Status.QUEUED)
            .order_by("-pk")
            .values_list("pk", "email")[: args.unsubscribes]
        )

        def post(target):
            delivery_id, email = target
            token = tokens.make_token(tokens.UNSUBSCRIBE, email=email, delivery_id=delivery_id)
            request = urllib.request.Request(
                f"http://127.0.0.1:{web_port}/nieuwsbrief/afmelden/{token}/direct/",
                data=b"List-Unsubscribe=One-Click",
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
            started = time.perf_counter()
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                assert response.status == 200
            return email, (time.perf_counter() - started) * 1000, time.time()

        # A few requests first, so that every gunicorn process has its database connection.
        for target in targets[:4]:
            post(target)
        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(post, targets[4:]))
        latencies = common.spread([ms for _email, ms, _at in results])
        print(
            f"one-click POST, 8 concurrent clients, {len(results)} requests while sending at {args.rate}/s: "
            f"median {latencies['median']:.0f} ms, p95 {latencies['p95']:.0f} ms, max {latencies['max']:.0f} ms"
        )

        deadline = time.time() + 600
        while time.time() < deadline and Send.objects.get(pk=send.pk).status != Send.Status.SENT:
            time.sleep(1)
        answered = {email: at for email, _ms, at in results}
        late = []
        for at, email in common.arrivals(arrivals):
            if email in answered and at > answered[email]:
                late.append(at - answered[email])
        skipped = Delivery.objects.filter(
            send=send, email__in=answered, status=Delivery.Status.SKIPPED
        ).count()
        print(
            f"{len(answered)} unsubscribed while queued: {skipped} of their messages skipped, "
            f"{len(late)} still handed over after the unsubscribe"
            + (f" (at most {max(late):.1f} s after it)" if late else "")
        )
        common.emit(
            "newsletter_unsubscribe",
            rate=args.rate,
            requests=len(results),
            post_ms=latencies,
            unsubscribed=len(answered),
            skipped=skipped,
            handed_over_after=len(late),
            latest_after_seconds=round(max(late), 1) if late else None,
        )
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=60)


if __name__ == "__main__":
    main()
