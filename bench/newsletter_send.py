"""Benchmark: one newsletter to 50,000 recipients through the whole pipeline into a local SMTP sink.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stadshart_bench_newsletter \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/4 \\
        .venv/bin/python bench/newsletter_send.py --recipients 50000

Creates the database's synthetic audience on first use (consenting people at organisations),
queues the approved newsletter, starts a real Celery worker (Redis, PostgreSQL) and an aiosmtpd
sink in its own process, and prints:
- messages per second handed over to the SMTP server, and the total time;
- the worker's peak memory (resident set of the worker and its pool processes), for this audience
  and for a tenth of it: memory must stay flat as the audience grows;
- SQL queries per message, counted in-process for two audience sizes (must stay constant);
- the same messages rendered and sent by a bare loop (render once, personalise, one SMTP
  connection; no database, no Celery) and the pipeline's overhead against it.
Figures, not assertions. Targets: 50,000 in under 5 minutes; overhead under 25 %.
"""

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stadshart.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/stadshart_bench_newsletter")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/4")
os.environ.setdefault("SITE_URL", "https://stadshart.example")
import processes  # noqa: E402  (bench/, the script's own folder)

SINK = r"""
import asyncio, sys, time
from aiosmtpd.controller import Controller
count = 0
class Handler:
    async def handle_DATA(self, server, session, envelope):
        global count
        count += len(envelope.rcpt_tos)
        return "250 OK"
controller = Controller(Handler(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
path = sys.argv[2]
while True:
    with open(path, "w") as f:
        f.write(str(count))
    time.sleep(0.2)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def django_setup():
    import django

    django.setup()


def ensure_database():
    from urllib.parse import urlparse

    import psycopg

    url = urlparse(os.environ["DATABASE_URL"])
    name = url.path.lstrip("/")
    with psycopg.connect(url._replace(path="/postgres").geturl(), autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=BASE, check=True, env=os.environ
    )


def ensure_audience(total: int, small: int):
    """`total` consenting people, one per organisation; the first `small` on the Benchstraat.

    The Benchstraat is fixed when the audience is first made (the smaller send of each benchmark).
    """
    from django.utils import timezone

    from crm.models import Consent, EmailAddress, Organisation

    # Earlier unsubscribe and fault runs withdrew some consents: grant them again, so every run
    # sends to the same audience.
    withdrawn = (
        Consent.objects.filter(person__last_name="Bench", topic=Consent.Topic.SERVICE_NEWSLETTER)
        .order_by("person_id", "-recorded_at", "-pk")
        .distinct("person_id")
        .values_list("person_id", "granted")
    )
    again = [person_id for person_id, granted in withdrawn if not granted]
    Consent.objects.bulk_create(
        [
            Consent(
                person_id=person_id,
                topic=Consent.Topic.SERVICE_NEWSLETTER,
                granted=True,
                source=Consent.Source.IMPORT,
                recorded_at=timezone.now(),
            )
            for person_id in again
        ]
    )
    have = EmailAddress.objects.filter(email__endswith="@bench.example").count()
    if have < total:
        create_audience(have, total, small)
        # As in production, where autovacuum keeps the planner's statistics current.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    # The next 5,000 live on the Proefstraat: the audience of the unsubscribe and fault runs.
    Organisation.objects.filter(name__in=[f"Benchzaak {n}" for n in range(small, small + 5000)]).exclude(
        street="Proefstraat"
    ).update(street="Proefstraat")


def create_audience(have: int, total: int, small: int):
    from django.db import transaction
    from django.utils import timezone

    from crm.models import Consent, EmailAddress, Organisation, Person, Role

    print(f"creating {total - have} synthetic recipients …", flush=True)
    now = timezone.now()
    with transaction.atomic():
        for start in range(have, total, 5000):
            numbers = range(start, min(total, start + 5000))
            organisations = Organisation.objects.bulk_create(
                [
                    Organisation(
                        name=f"Benchzaak {n}",
                        kind=Organisation.Kind.ENTREPRENEUR,
                        street="Benchstraat" if n < small else "Marktstraat",
                        house_number=str(n),
                        postcode="4811 AB",
                        town="Veldhaven",
                    )
                    for n in numbers
                ]
            )
            people = Person.objects.bulk_create(
                [Person(first_name=f"Lezer{n}", last_name="Bench") for n in numbers]
            )
            EmailAddress.objects.bulk_create(
                [
                    EmailAddress(person=p, email=f"lezer{n}@bench.example", is_primary=True)
                    for n, p in zip(numbers, people, strict=True)
                ]
            )
            Role.objects.bulk_create(
                [Role(person=p, organisation=o) for p, o in zip(people, organisations, strict=True)]
            )
            Consent.objects.bulk_create(
                [
                    Consent(
                        person=p,
                        topic=Consent.Topic.SERVICE_NEWSLETTER,
                        granted=True,
                        source=Consent.Source.IMPORT,
                        recorded_at=now,
                    )
                    for p in people
                ]
            )


def newsletter(name: str, filters: dict):
    """An approved service newsletter with a greeting, text, a button and the footer."""
    from wagtail.models import Page

    from crm.models import Segment
    from newsletter.models import NewsletterApproval, NewsletterIndexPage, NewsletterPage, Send

    segment, _ = Segment.objects.update_or_create(name=f"Bench {name}", defaults={"filters": filters})
    index = NewsletterIndexPage.objects.first()
    if index is None:
        index = NewsletterIndexPage(title="Nieuwsbrieven", slug="nieuwsbrieven")
        Page.objects.get(depth=2, slug="home").add_child(instance=index)
    slug = f"bench-{name}"
    old = NewsletterPage.objects.filter(slug=slug).first()
    if old is not None:
        Send.objects.filter(newsletter=old).delete()
        old.delete()
    text = (
        "<p>"
        + "Het centrum bruist deze maand: nieuwe winkels, de kerstmarkt en minder leegstand. " * 8
        + "</p>"
    )
    page = NewsletterPage(
        title=f"Bench {name}",
        slug=slug,
        subject="Nieuws uit het centrum",
        preheader="De kerstmarkt, nieuwe winkels en de parkeerproef",
        body=[
            ("greeting", {"salutation": "Beste", "fallback": "ondernemer"}),
            ("heading", {"text": "De kerstmarkt komt eraan"}),
            ("paragraph", text),
            ("paragraph", text),
            ("divider", None),
            ("paragraph", text),
        ],
    )
    index.add_child(instance=page)
    page.segments.set([segment])
    revision = page.save_revision()
    revision.publish()
    NewsletterApproval.objects.create(revision=revision)
    return NewsletterPage.objects.get(pk=page.pk)


def transactions() -> int:
    """PostgreSQL's count of committed and rolled back transactions in this database.

    The worker runs in autocommit, so every query outside an atomic block is one transaction:
    a proxy for its query count that needs no instrumentation in the worker.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()"
        )
        return cursor.fetchone()[0]


def run_worker_send(page, *, sink_port, count_file, concurrency):
    """Queue the page, let a real worker send it.

    Returns (seconds, messages, peak RSS kB, transactions, worker CPU seconds during the send).
    """
    from newsletter import services
    from newsletter.models import Send

    queue = f"bench-{os.getpid()}"
    env = {
        **os.environ,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink_port),
        "NEWSLETTER_TASK_QUEUE": queue,
        "NEWSLETTER_PARALLEL_TASKS": str(concurrency),
        "CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
    }
    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "celery", "-A", "stadshart", "worker", "--pool=prefork"]
        + [
            f"--concurrency={concurrency}",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=BASE,
        env=env,
    )
    try:
        time.sleep(4)  # let the worker connect
        from django.conf import settings

        settings.NEWSLETTER_TASK_QUEUE = queue
        settings.NEWSLETTER_PARALLEL_TASKS = concurrency
        before = int(Path(count_file).read_text() or 0)
        send = services.queue_send(page)
        transactions_before = transactions()
        total = send.deliveries.count()
        cpu_before = processes.cpu_seconds(processes.tree(worker.pid))
        started = time.perf_counter()
        peak = 0
        while True:
            peak = max(peak, processes.resident_kb(processes.tree(worker.pid)))
            cpu = processes.cpu_seconds(processes.tree(worker.pid)) - cpu_before
            done = int(Path(count_file).read_text() or 0) - before
            if done >= total:
                break
            if time.perf_counter() - started > 1800:
                print("gave up after 30 minutes", flush=True)
                break
            time.sleep(0.2)
        seconds = time.perf_counter() - started
        send.refresh_from_db()
        for _ in range(50):
            if Send.objects.get(pk=send.pk).status == Send.Status.SENT:
                break
            time.sleep(0.2)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
    time.sleep(1.5)  # backends report their statistics when they end
    return seconds, done, peak, transactions() - transactions_before, cpu


def queries_per_message(page, *, sink_port):
    """Send `page` in this process and count the SQL queries of the sending (not of the queuing)."""
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from newsletter import services, tasks
    from newsletter.sending import worker as sending_worker

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink_port
    original = tasks.start_workers
    tasks.start_workers = lambda send_id: None
    try:
        send = services.queue_send(page)
    finally:
        tasks.start_workers = original
    from newsletter.sending.marks import sent_marks

    marks = sent_marks()
    marks_before = marks.written
    with CaptureQueriesContext(connection) as captured:
        sending_worker.work_on_send(send.pk, budget_seconds=3600)
    # The sent marks go out on their own connection (newsletter/sending/marks.py): count them too.
    marks_written = marks.written - marks_before
    return (len(captured) + marks_written) / send.deliveries.count(), send.deliveries.count()


def bare_loop(page, *, sink_port, count: int):
    """Render once, personalise and send `count` messages over one SMTP connection: no database, no Celery.

    Returns (messages per second, CPU seconds per message of this process).
    """
    from django.core.mail import get_connection

    from newsletter.rendering import render_newsletter
    from newsletter.sending.mail import build_message

    connection = get_connection(
        "django.core.mail.backends.smtp.EmailBackend", host="127.0.0.1", port=sink_port
    )
    started, cpu = time.perf_counter(), time.process_time()
    rendered = render_newsletter(page, base_url="https://stadshart.example")
    connection.open()
    for n in range(count):
        message = build_message(
            rendered,
            to_email=f"lezer{n}@bench.example",
            first_name=f"Lezer{n}",
            delivery_id=n,
            from_email="Stadshart <nieuws@stadshart.example>",
            web_url="https://stadshart.example/nieuwsbrieven/bench/",
            message_id_domain="stadshart.example",
            connection=connection,
        )
        connection.send_messages([message])
    connection.close()
    return count / (time.perf_counter() - started), (time.process_time() - cpu) / count


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=50_000)
    parser.add_argument(
        "--concurrency", type=int, default=1, help="worker processes (the bare loop uses one)"
    )
    parser.add_argument("--bare", type=int, default=5_000, help="messages per bare loop run (three runs)")
    args = parser.parse_args()
    small = 1000

    ensure_database()
    django_setup()
    ensure_audience(args.recipients, small)

    port = free_port()
    count_file = Path(tempfile.mkdtemp()) / "count"
    count_file.write_text("0")
    sink = subprocess.Popen([sys.executable, "-c", SINK, str(port), str(count_file)])  # noqa: S603
    time.sleep(1.5)
    try:
        from django.conf import settings

        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        print(f"audience {args.recipients}, worker concurrency {args.concurrency}", flush=True)

        page_small = newsletter("small", {"streets": ["Benchstraat"]})
        seconds, sent, peak_small, xacts, _cpu = run_worker_send(
            page_small, sink_port=port, count_file=count_file, concurrency=args.concurrency
        )
        print(
            f"{sent:>6} recipients: {sent / seconds:6.0f} msg/s, worker peak RSS {peak_small / 1024:5.0f} MB, "
            f"{xacts / sent:.3f} PostgreSQL transactions per message"
        )

        page_all = newsletter("all", {})
        seconds, sent, peak, xacts, worker_cpu = run_worker_send(
            page_all, sink_port=port, count_file=count_file, concurrency=args.concurrency
        )
        pipeline_rate = sent / seconds
        print(
            f"{sent:>6} recipients: {pipeline_rate:6.0f} msg/s, {seconds:5.0f} s in all, "
            f"worker peak RSS {peak / 1024:5.0f} MB, {xacts / sent:.3f} PostgreSQL transactions per message, "
            f"worker CPU {1000 * worker_cpu / sent:.2f} ms/message"
        )

        per_message_small, n_small = queries_per_message(
            newsletter("q-small", {"streets": ["Benchstraat"]}), sink_port=port
        )
        print(f"SQL statements per message (in-process, {n_small} recipients): {per_message_small:.3f}")

        # Three runs, the middle one counts: the machine's other work moves single runs by ~10 %.
        runs = sorted(bare_loop(page_all, sink_port=port, count=args.bare) for _ in range(3))
        bare_rate, bare_cpu = runs[1]
        print(
            "bare loop (render once, personalise, one SMTP connection): "
            + ", ".join(f"{rate:.0f}" for rate, _cpu in runs)
            + f" msg/s; CPU {1000 * bare_cpu:.2f} ms/message"
        )
        print(
            f"pipeline / bare loop: {pipeline_rate / bare_rate:.2f} "
            f"(overhead {max(0.0, 1 - pipeline_rate / bare_rate) * 100:.0f} %; "
            f"{args.concurrency} worker process(es) vs 1 bare process); "
            f"worker CPU per message / bare loop's: {worker_cpu / sent / bare_cpu:.2f}"
        )
    finally:
        sink.send_signal(signal.SIGTERM)
        sink.wait(timeout=10)


if __name__ == "__main__":
    main()
