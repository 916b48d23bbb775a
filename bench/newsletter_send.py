"""Benchmark: one newsletter to 50,000 recipients through the whole pipeline into a local SMTP sink.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stadshart_bench_newsletter \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/4 \\
        .venv/bin/python -m bench.newsletter_send --recipients 50000

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
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import common

BASE = common.BASE
common.newsletter_defaults()


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


def run_worker_send(page, *, sink_port, arrivals, concurrency):
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
        before = common.arrived(arrivals)
        send = services.queue_send(page)
        transactions_before = transactions()
        total = send.deliveries.count()
        cpu_before = common.cpu_seconds(common.tree(worker.pid))
        # Celery's parent (the broker consumer) and each pool process apart: where the CPU goes.
        cpu_before_each = {pid: common.cpu_seconds([pid]) for pid in common.tree(worker.pid)}
        started = time.perf_counter()
        peak = 0
        while True:
            peak = max(peak, common.resident_kb(common.tree(worker.pid)))
            cpu = common.cpu_seconds(common.tree(worker.pid)) - cpu_before
            done = common.arrived(arrivals) - before
            if done >= total:
                break
            if time.perf_counter() - started > 1800:
                print("gave up after 30 minutes", flush=True)
                break
            time.sleep(0.2)
        seconds = time.perf_counter() - started
        for pid, before_cpu in cpu_before_each.items():
            role = "Celery's parent" if pid == worker.pid else "pool process"
            print(
                f"  {role} {pid}: {1000 * (common.cpu_seconds([pid]) - before_cpu) / max(done, 1):.3f} ms CPU/message"
            )
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
    from newsletter.sending.sent_marks import sent_marks

    marks = sent_marks()
    marks_before = marks.written
    with CaptureQueriesContext(connection) as captured:
        sending_worker.work_on_send(send.pk, budget_seconds=3600)
    # The sent marks go out on their own connection (newsletter/sending/sent_marks.py): count them too.
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

    common.ensure_database()
    common.setup_django()
    common.ensure_audience(args.recipients, small)

    port = common.free_port()
    arrivals = Path(tempfile.mkdtemp()) / "arrivals"
    sink = common.start_sink(port, arrivals)
    try:
        from django.conf import settings

        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        print(f"audience {args.recipients}, worker concurrency {args.concurrency}", flush=True)

        page_small = common.newsletter("small", {"streets": ["Benchstraat"]})
        seconds, sent_small, peak_small, xacts_small, _cpu = run_worker_send(
            page_small, sink_port=port, arrivals=arrivals, concurrency=args.concurrency
        )
        print(
            f"{sent_small:>6} recipients: {sent_small / seconds:6.0f} msg/s, "
            f"worker peak RSS {peak_small / 1024:5.0f} MB, "
            f"{xacts_small / sent_small:.3f} PostgreSQL transactions per message"
        )

        page_all = common.newsletter("all", {})
        # The bare loop runs once before the send and twice after it, and the middle of the three
        # counts: a shared machine's speed drifts by a quarter within minutes (two runs back to back
        # on 2026-11-28 read 0.76 and 1.04 when all three came after the send).
        bare_runs = [bare_loop(page_all, sink_port=port, count=args.bare)]
        seconds, sent, peak, xacts, worker_cpu = run_worker_send(
            page_all, sink_port=port, arrivals=arrivals, concurrency=args.concurrency
        )
        pipeline_rate = sent / seconds
        print(
            f"{sent:>6} recipients: {pipeline_rate:6.0f} msg/s, {seconds:5.0f} s in all, "
            f"worker peak RSS {peak / 1024:5.0f} MB, {xacts / sent:.3f} PostgreSQL transactions per message, "
            f"worker CPU {1000 * worker_cpu / sent:.2f} ms/message"
        )

        per_message_small, n_small = queries_per_message(
            common.newsletter("q-small", {"streets": ["Benchstraat"]}), sink_port=port
        )
        print(f"SQL statements per message (in-process, {n_small} recipients): {per_message_small:.3f}")

        bare_runs += [bare_loop(page_all, sink_port=port, count=args.bare) for _ in range(2)]
        runs = sorted(bare_runs)
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
        common.emit(
            "newsletter_send",
            recipients=sent,
            concurrency=args.concurrency,
            messages_per_second=round(pipeline_rate, 1),
            seconds=round(seconds, 1),
            worker_peak_rss_mb={sent_small: round(peak_small / 1024), sent: round(peak / 1024)},
            transactions_per_message={
                sent_small: round(xacts_small / sent_small, 3),
                sent: round(xacts / sent, 3),
            },
            queries_per_message={n_small: round(per_message_small, 3)},
            worker_cpu_ms_per_message=round(1000 * worker_cpu / sent, 2),
            bare_loop_messages_per_second=[round(rate, 1) for rate, _cpu in runs],
            bare_loop_cpu_ms_per_message=round(1000 * bare_cpu, 2),
            overhead_percent=round(max(0.0, 1 - pipeline_rate / bare_rate) * 100, 1),
        )
    finally:
        sink.send_signal(signal.SIGTERM)
        sink.wait(timeout=10)


if __name__ == "__main__":
    main()
