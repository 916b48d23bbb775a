"""Benchmark: replaying ESP tracking webhooks (Mailgun signed, or SparkPost batches) twice through the real URL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stadshart_bench_webhooks \\
        .venv/bin/python bench/newsletter_webhooks.py --events 10000 --workers 2
        .venv/bin/python bench/newsletter_webhooks.py --events 10000 --esp sparkpost --batch 100

Makes one sent newsletter with deliveries, builds N signed Mailgun events for them (delivered,
opens, clicks, a few bounces and complaints) and posts every event twice, as an ESP retrying after
a timeout would: through anymail's view (signature and basic-auth checks), the tracking signal and
newsletter.tracking.record_event. Each worker is its own process with its own database
connection, as web processes are. Prints the events stored and events per second for each pass.
Goal: 10,000 events stored from 20,000 posts, at 500 or more events per second.
"""

import argparse
import hashlib
import hmac
import json
import multiprocessing
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stadshart.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("CONN_MAX_AGE", "60")
os.environ.setdefault("ANYMAIL_WEBHOOK_SECRET", "bench:webhook-secret")
os.environ.setdefault("ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY", "bench-mailgun-signing-key")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
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


def post_all(payloads: list[bytes]) -> tuple[int, float]:
    """One worker: post its share through the Django stack; (answered 200, CPU seconds it used)."""
    connections.close_all()  # a forked worker opens its own connection
    client = Client()
    ok = 0
    cpu = time.process_time()
    for body in payloads:
        response = client.post(_url, data=body, content_type="application/json", HTTP_AUTHORIZATION=AUTH)
        ok += response.status_code == 200
    cpu = time.process_time() - cpu
    connections.close_all()
    return ok, cpu


def replay(payloads, workers: int) -> tuple[float, int, float]:
    """(wall seconds, answered 200, web-process CPU seconds) for posting every payload once."""
    shares = [payloads[i::workers] for i in range(workers)]
    started = time.perf_counter()
    if workers == 1:
        results = [post_all(payloads)]
    else:
        connections.close_all()
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            results = pool.map(post_all, shares)
    return time.perf_counter() - started, sum(r[0] for r in results), sum(r[1] for r in results)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--deliveries", type=int, default=2_500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--esp", choices=sorted(URLS), default="mailgun")
    parser.add_argument("--batch", type=int, default=100, help="events per SparkPost post")
    args = parser.parse_args()
    global _url
    _url = URLS[args.esp]
    settings.ALLOWED_HOSTS.append("testserver")
    call_command("migrate", verbosity=0)
    recipients = make_send(args.deliveries)
    if args.esp == "mailgun":
        payloads = mailgun_payloads(recipients, args.events, random.Random(1))
    else:
        payloads = sparkpost_payloads(recipients, args.events, args.batch, random.Random(1))
    before = DeliveryEvent.objects.count()
    print(
        f"{connection.vendor}: {args.events} {args.esp} events in {len(payloads)} posts for {len(recipients)} "
        f"deliveries, {args.workers} workers"
    )
    print(
        f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (other work slows the figures)"
    )
    for label in ("first pass (new events)", "second pass (duplicates)"):
        seconds, answered, cpu = replay(payloads, args.workers)
        stored = DeliveryEvent.objects.count() - before
        print(
            f"{label:<26} {seconds:6.1f} s  {args.events / seconds:6.0f} events/s  "
            f"web CPU {1000 * cpu / args.events:4.1f} ms/event  {answered} posts answered 200  {stored} stored in total"
        )


if __name__ == "__main__":
    main()
