"""Benchmark: replaying ESP tracking webhooks (Mailgun signed, or SparkPost batches) twice through a real server.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stadshart_bench_webhooks \\
        .venv/bin/python -m bench.newsletter_webhooks --events 10000
        .venv/bin/python -m bench.newsletter_webhooks --events 10000 --esp sparkpost --batch 100

Makes one sent newsletter with deliveries, builds N signed Mailgun events for them (delivered,
opens, clicks, a few bounces and complaints) and posts every event twice, as an ESP retrying after
a timeout would, over HTTP to gunicorn running the site with production settings (DEBUG off,
persistent database connections, TLS ended by a proxy in front): anymail's view (signature and
basic-auth checks), the tracking signal and newsletter.tracking.record_events, each request in
one transaction committed to disk before the ESP hears 200. Client processes post concurrently
on connections of their own, as an ESP's senders do. Prints the events stored and events per
second for each pass, and the server's CPU per event. Goal: 10,000 events stored from 20,000
posts, at 500 or more events per second.
"""

import argparse
import hashlib
import hmac
import json
import os
import random
import selectors
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import common

common.setup_django(
    DEBUG="1",
    CONN_MAX_AGE="60",
    ANYMAIL_WEBHOOK_SECRET="bench:webhook-secret",  # noqa: S106 - a benchmark-only secret
    ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY="bench-mailgun-signing-key",
)

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.models import Page  # noqa: E402

from newsletter.models import Delivery, DeliveryEvent, NewsletterIndexPage, NewsletterPage, Send  # noqa: E402

SIGNING_KEY = os.environ["ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY"]
AUTH = "Basic " + __import__("base64").b64encode(os.environ["ANYMAIL_WEBHOOK_SECRET"].encode()).decode()
URLS = {"mailgun": "/anymail/mailgun/tracking/", "sparkpost": "/anymail/sparkpost/tracking/"}
_url = URLS["mailgun"]


def make_send(deliveries: int) -> list[tuple[str, str]]:
    """A sent newsletter with `deliveries` recipients; returns (message id, address) per delivery."""
    index = NewsletterIndexPage.objects.first()
    if index is None:
        home = Page.objects.get(depth=2)
        index = home.add_child(instance=NewsletterIndexPage(title="Nieuwsbrieven", slug="nieuwsbrief-bench"))
    stamp = int(time.time())
    page = index.add_child(
        instance=NewsletterPage(
            title=f"Bench {stamp}", slug=f"bench-{stamp}", subject="Bench", kind="service"
        )
    )
    sent_at = timezone.now() - timezone.timedelta(hours=3)
    send = Send.objects.create(
        newsletter=page,
        revision=page.save_revision(),
        status=Send.Status.SENT,
        subject="Bench",
        from_email="nieuws@bench.example",
        started_at=sent_at,
    )
    rows = Delivery.objects.bulk_create(
        Delivery(
            send=send,
            email=f"lezer{n}.{stamp}@bench.example",
            status=Delivery.Status.SENT,
            sent_at=sent_at,
            esp_message_id=f"<{stamp}.{n}@mg.bench.example>",
        )
        for n in range(deliveries)
    )
    return [(row.esp_message_id.strip("<>"), row.email) for row in rows]


def mailgun_payloads(recipients, count: int, rng: random.Random) -> list[bytes]:
    """`count` signed Mailgun events: each delivery delivered, then opens and clicks; a few bounces."""
    base = time.time() - 3 * 3600
    payloads = []
    kinds = ["delivered", "opened", "opened", "clicked", "opened"]
    n = 0
    while len(payloads) < count:
        message_id, email = recipients[n % len(recipients)]
        kind = kinds[(n // len(recipients)) % len(kinds)]
        if kind == "delivered" and rng.random() < 0.02:
            kind = "failed"
        elif kind == "opened" and rng.random() < 0.002:
            kind = "complained"
        event = {
            "event": kind,
            "timestamp": base + 60 + n * 0.5,
            "id": f"bench-{n}",
            "recipient": email,
            "message": {"headers": {"message-id": message_id}},
        }
        if kind == "failed":
            event |= {"severity": "permanent", "reason": "bounce", "delivery-status": {"code": 550}}
        if kind in ("opened", "clicked"):
            event["client-info"] = {"user-agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/124.0"}
        if kind == "clicked":
            event["url"] = f"https://veldhaven.example/{rng.choice(['agenda', 'parkeren', 'nieuws'])}/"
        token = hashlib.sha256(f"bench-{n}-{message_id}".encode()).hexdigest()[:50]
        timestamp = str(int(event["timestamp"]))
        signature = hmac.new(SIGNING_KEY.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
        payloads.append(
            json.dumps(
                {
                    "signature": {"timestamp": timestamp, "token": token, "signature": signature},
                    "event-data": event,
                }
            ).encode()
        )
        n += 1
    return payloads


def sparkpost_payloads(recipients, count: int, batch: int, rng: random.Random) -> list[bytes]:
    """`count` SparkPost events in posts of `batch` (SparkPost batches; its message id is per transmission)."""
    base = int(time.time()) - 3 * 3600
    kinds = ["delivery", "open", "open", "click", "open"]
    events = []
    for n in range(count):
        message_id, email = recipients[n % len(recipients)]
        kind = kinds[(n // len(recipients)) % len(kinds)]
        event = {
            "type": kind,
            "event_id": f"{base}{n:07d}",
            "transmission_id": message_id,
            "raw_rcpt_to": email,
            "timestamp": str(base + 60 + n // 2),
        }
        if kind in ("open", "click"):
            event["user_agent"] = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/124.0"
        if kind == "click":
            event["target_link_url"] = f"https://veldhaven.example/{rng.choice(['agenda', 'parkeren'])}/"
        event_class = "message_event" if kind == "delivery" else "track_event"
        events.append({"msys": {event_class: event}})
    return [json.dumps(events[i : i + batch]).encode() for i in range(0, len(events), batch)]


def static_root() -> str:
    """An empty STATIC_ROOT: the webhooks serve no static files, whitenoise only wants it to exist."""
    folder = Path(tempfile.gettempdir()) / "webhook-bench-static"
    folder.mkdir(exist_ok=True)
    return str(folder)


def server_environment(port: int) -> dict:
    """Production settings for gunicorn: DEBUG off, TLS ended by the proxy in front of it."""
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_PROXY_SSL_HEADER": "1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
        "STATIC_ROOT": static_root(),
    }


def start_server(port: int, workers: int, threads: int) -> subprocess.Popen:
    server = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "stadshart.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--log-level",
            "warning",
            "--access-logfile",
            str(Path(tempfile.gettempdir()) / "webhook-bench-access.log"),
        ],
        cwd=common.BASE,
        env=server_environment(port),
    )
    for _ in range(150):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    sys.exit("gunicorn did not start")


def request_bytes(body: bytes) -> bytes:
    return (
        f"POST {_url} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Authorization: {AUTH}\r\nX-Forwarded-Proto: https\r\nConnection: close\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


def post_all(port: int, requests: list[bytes], senders: int) -> int:
    """Post every request, `senders` at a time, each on a new connection; how many were answered 200.

    A connection per post spreads the posts over gunicorn's workers as an ESP's many senders do
    (a few long keep-alive connections all land on one worker). One process drives every
    connection with a selector and reads only the status line: the ESP's senders run on its own
    machines, so ours should cost next to no CPU (http.client took more than the view itself).
    """
    selector = selectors.DefaultSelector()
    queue = iter(requests)
    ok = 0

    def post_next() -> None:
        request = next(queue, None)
        if request is not None:
            sock = socket.create_connection(("127.0.0.1", port))
            sock.sendall(request)
            selector.register(sock, selectors.EVENT_READ, bytearray())

    for _ in range(senders):
        post_next()
    while selector.get_map():
        for key, _mask in selector.select():
            sock, answer = key.fileobj, key.data
            chunk = sock.recv(65536)
            answer += chunk
            head_end = answer.find(b"\r\n\r\n")
            if chunk and head_end >= 0:
                head = bytes(answer[:head_end]).lower()
                length = (
                    int(head.split(b"content-length:", 1)[1].split(b"\r\n", 1)[0])
                    if b"content-length:" in head
                    else None
                )
                if length is None or len(answer) < head_end + 4 + length:
                    continue  # wait for the rest (or, without a length, for the server to close)
            elif chunk:
                continue
            # The whole answer is here: done with this post, whenever the server gets to closing.
            selector.unregister(sock)
            sock.close()
            ok += answer.startswith(b"HTTP/1.1 200")
            post_next()
    return ok


def replay(requests, *, port: int, senders: int, server_pid: int) -> tuple[float, int, float, float]:
    """(wall seconds, answered 200, server CPU seconds, PostgreSQL CPU seconds) for posting every request once.

    PostgreSQL's CPU counts every backend alive at the end: the server's connections persist.
    """
    server = common.tree(server_pid)
    server_cpu = common.cpu_seconds(server)
    started = time.perf_counter()
    postgres_cpu = {pid: common.cpu_seconds([pid]) for pid in common.postgres()}
    answered = post_all(port, requests, senders)
    seconds = time.perf_counter() - started
    postgres_used = sum(common.cpu_seconds([pid]) - postgres_cpu.get(pid, 0.0) for pid in common.postgres())
    return seconds, answered, common.cpu_seconds(server) - server_cpu, postgres_used


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--deliveries", type=int, default=2_500)
    # As docker/Dockerfile runs it: three sync workers, with an access log.
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker")
    parser.add_argument("--senders", type=int, default=8, help="posts in flight at once")
    parser.add_argument("--esp", choices=sorted(URLS), default="mailgun")
    parser.add_argument("--batch", type=int, default=100, help="events per SparkPost post")
    parser.add_argument("--port", type=int, default=8741)
    args = parser.parse_args()
    global _url
    _url = URLS[args.esp]
    call_command("migrate", verbosity=0)
    recipients = make_send(args.deliveries)
    if args.esp == "mailgun":
        payloads = mailgun_payloads(recipients, args.events, random.Random(1))
    else:
        payloads = sparkpost_payloads(recipients, args.events, args.batch, random.Random(1))
    requests = [request_bytes(body) for body in payloads]
    before = DeliveryEvent.objects.count()
    print(
        f"{connection.vendor}: {args.events} {args.esp} events in {len(payloads)} posts for {len(recipients)} "
        f"deliveries; gunicorn {args.workers} workers x {args.threads} threads, {args.senders} senders"
    )
    load_before = os.getloadavg()[0]
    print(f"load average before: {load_before:.1f} on {os.cpu_count()} CPUs (other work slows the figures)")
    server = start_server(args.port, args.workers, args.threads)
    passes = {}
    try:
        for key, label in (("first", "first pass (new events)"), ("second", "second pass (duplicates)")):
            seconds, answered, cpu, database_cpu = replay(
                requests, port=args.port, senders=args.senders, server_pid=server.pid
            )
            stored = DeliveryEvent.objects.count() - before
            print(
                f"{label:<26} {seconds:6.1f} s  {args.events / seconds:6.0f} events/s  "
                f"CPU {1000 * cpu / args.events:4.2f} ms/event in gunicorn, "
                f"{1000 * database_cpu / args.events:4.2f} in PostgreSQL  {answered} posts answered 200  "
                f"{stored} stored in total"
            )
            passes[key] = {
                "seconds": round(seconds, 2),
                "events_per_second": round(args.events / seconds, 1),
                "gunicorn_cpu_ms_per_event": round(1000 * cpu / args.events, 2),
                "postgres_cpu_ms_per_event": round(1000 * database_cpu / args.events, 2),
                "answered_200": answered,
                "stored": stored,
            }
    finally:
        server.terminate()
        server.wait(timeout=30)
    common.emit(
        "newsletter_webhooks",
        esp=args.esp,
        events=args.events,
        posts=len(payloads),
        workers=args.workers,
        threads=args.threads,
        senders=args.senders,
        load_average_before=round(load_before, 1),
        **passes,
    )


if __name__ == "__main__":
    main()
