"""Benchmark: one newsletter to a million recipients through the ESP batch path (NEWSLETTER_BATCH_SEND).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stadshart_bench_million \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/4 \\
        .venv/bin/python -m bench.newsletter_million --recipients 1000000

Builds the audience once with bulk SQL (`--recipients` consenting people with an address, a role
and a consent; not seed_demo), queues an approved newsletter through `services.queue_send`, and
lets real Celery worker processes (prefork, Redis broker, PostgreSQL) send it with anymail's real
Mailgun backend, one API call per NEWSLETTER_BATCH_SIZE recipients, into a loopback server that
answers as Mailgun's messages API (bench.common.start_esp, as tests/newsletter/test_esp_batch.py).
While it sends, this process reads the send's progress page (and the account page beside it, as the
load's baseline) and posts one-click unsubscribes, to gunicorn with DEBUG off as in production.
Prints, with the load average beside each figure:
- the time to queue the deliveries (target < 60 s);
- messages handed over per second on this machine's cores (target >= 2,000);
- each worker pool process's resident, proportional and private memory, at a tenth, half and the
  end of the send, and its peak (target < 150 MB and flat);
- the progress page's and the one-click unsubscribe's latency during the send (p95 < 200 ms),
  and the SQL queries of each; the page is loaded once and then reads its figures every 5 s from
  a JSON address, which is what a user waits for during a send: both are printed;
- the database's size growth per recipient (the deliveries and their indexes).
Figures, not assertions.
"""

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench import common

BASE = common.BASE
common.newsletter_defaults()

LAST_NAME = "Miljoen"
# The web processes as in production (DEBUG off), plain HTTP on loopback (bench/newsletter_unsubscribe.py).
PRODUCTION = {
    "DEBUG": "0",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "SECURE_HSTS_SECONDS": "0",
}
ORGANISATIONS = 20_000


def load() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


# The audience, in bulk SQL --------------------------------------------------------------------


def _columns(cursor, table: str) -> list[str]:
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND column_name <> 'id' "
        "ORDER BY ordinal_position",
        [table],
    )
    return [name for (name,) in cursor.fetchall()]


def _insert_like(cursor, table: str, template_id: int, source: str, overrides: dict[str, str]) -> int:
    """Copy the template row once per row of `source` (aliased s), with `overrides` as SQL on s.

    Copying a row the ORM made keeps every column the model has, whatever its defaults.
    """
    columns = _columns(cursor, table)
    values = ", ".join(overrides.get(name, f't."{name}"') for name in columns)
    cursor.execute(
        f"INSERT INTO {table} ({', '.join(f'{chr(34)}{name}{chr(34)}' for name in columns)}) "  # noqa: S608
        f"SELECT {values} FROM {table} t CROSS JOIN ({source}) s WHERE t.id = %s",
        [template_id],
    )
    return cursor.rowcount


def ensure_million(total: int) -> None:
    """`total` consenting people ("Lezer<n> Miljoen", lezer<n>@miljoen.example), each with a role at
    one of 20,000 organisations on the Miljoenstraat, made with a handful of INSERT … SELECT."""
    from django.db import connection, transaction
    from django.utils import timezone

    from crm.models import Consent, EmailAddress, Organisation, Person, Role

    have = Person.objects.filter(last_name=LAST_NAME).count()
    if have >= total:
        return
    if have:
        sys.exit(f"{have} {LAST_NAME} people exist, fewer than {total}: use a fresh database")
    print(f"creating {total:,} recipients with bulk SQL …", flush=True)
    started = time.perf_counter()
    with transaction.atomic():
        org = Organisation.objects.create(
            name="Miljoenzaak 0",
            kind=Organisation.Kind.ENTREPRENEUR,
            street="Miljoenstraat",
            house_number="0",
            postcode="4811 AB",
            town="Veldhaven",
        )
        person = Person.objects.create(first_name="Lezer0", last_name=LAST_NAME)
        email = EmailAddress.objects.create(person=person, email="lezer0@miljoen.example", is_primary=True)
        role = Role.objects.create(person=person, organisation=org)
        consent = Consent.objects.create(
            person=person,
            topic=Consent.Topic.SERVICE_NEWSLETTER,
            granted=True,
            source=Consent.Source.IMPORT,
            recorded_at=timezone.now(),
        )
        with connection.cursor() as cursor:
            _insert_like(
                cursor,
                "crm_organisation",
                org.pk,
                f"SELECT g FROM generate_series(1, {ORGANISATIONS - 1}) g",  # noqa: S608
                {"name": "'Miljoenzaak ' || s.g", "house_number": "s.g::text"},
            )
            _insert_like(
                cursor,
                "crm_person",
                person.pk,
                f"SELECT g FROM generate_series(1, {total - 1}) g",  # noqa: S608
                {"first_name": "'Lezer' || s.g"},
            )
            people = (
                f"SELECT p.id AS pid, substr(p.first_name, 6)::int AS n FROM crm_person p "  # noqa: S608
                f"WHERE p.last_name = '{LAST_NAME}' AND p.id <> {person.pk}"
            )
            _insert_like(
                cursor,
                "crm_emailaddress",
                email.pk,
                people,
                {"person_id": "s.pid", "email": "'lezer' || s.n || '@miljoen.example'"},
            )
            _insert_like(
                cursor,
                "crm_role",
                role.pk,
                f"SELECT q.pid, o.id AS oid FROM ({people}) q JOIN crm_organisation o "  # noqa: S608
                f"ON o.name = 'Miljoenzaak ' || mod(q.n, {ORGANISATIONS})",
                {"person_id": "s.pid", "organisation_id": "s.oid"},
            )
            _insert_like(cursor, "crm_consent", consent.pk, people, {"person_id": "s.pid"})
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would have by the time anyone sends
    print(f"  made in {time.perf_counter() - started:.0f} s", flush=True)


def reset_consents() -> None:
    """Earlier runs' unsubscribes withdrew consents: take those withdrawals back."""
    from crm.models import Consent

    Consent.objects.filter(person__last_name=LAST_NAME, granted=False).delete()


# Measuring ------------------------------------------------------------------------------------


def database_bytes() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0]


def deliveries_bytes() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_total_relation_size('newsletter_delivery')")
        return cursor.fetchone()[0]


def per_process_memory_mb(root: int) -> dict[int, tuple[float, float, float, float]]:
    """(resident, proportional, private, file-backed) memory of each pool process of the worker, in MB.

    Resident counts the pages a pool process shares with its parent (Django, Wagtail and the
    libraries, loaded before the fork) in full; proportional divides them among the sharers;
    private is what the process itself added. File-backed is the part of resident that is the
    libraries' and Python's code mapped from disk, held once in the page cache for every process.
    """
    found = {}
    for pid in common.tree(root):
        if pid == root:
            continue
        fields = {}
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
                name, value = line.split(":", 1)
                fields[name] = int(value.split()[0])
        except (OSError, ValueError):
            continue
        private = fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)
        file_backed = fields.get("Rss", 0) - fields.get("Anonymous", 0)
        found[pid] = (
            fields.get("Rss", 0) / 1024,
            fields.get("Pss", 0) / 1024,
            private / 1024,
            file_backed / 1024,
        )
    return found


class Sampler:
    """Requests a user makes during the send, to gunicorn as in production (DEBUG off): the send's
    progress page, a tiny admin page beside it (what any admin page costs at this load), and
    one-click unsubscribes."""

    def __init__(self, page, send, port: int):
        from django.conf import settings
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
        from django.contrib.auth.models import Group
        from django.contrib.sessions.backends.db import SessionStore
        from django.urls import reverse

        from newsletter.models import Delivery
        from stadshart.mfa import mark_verified

        user, _created = get_user_model().objects.get_or_create(
            username="bench-communicatie", defaults={"is_staff": True}
        )
        user.groups.add(Group.objects.get(name="Communicatie"))
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        mark_verified(session, user, "bench")  # as after the second factor
        session.create()
        self.cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
        self.base = f"http://127.0.0.1:{port}"
        self.progress_url = reverse("newsletter_send", kwargs={"page_id": page.pk})
        self.figures_url = reverse("newsletter_send_progress", kwargs={"page_id": page.pk})
        self.baseline_url = reverse("wagtailadmin_account")
        # Recipients at the end of the line: still queued when they unsubscribe.
        self.targets = list(
            Delivery.objects.filter(send=send).order_by("-pk").values_list("pk", "email")[:2000]
        )
        self.progress_ms: list[float] = []
        self.figures_ms: list[float] = []
        self.baseline_ms: list[float] = []
        self.unsubscribe_ms: list[float] = []

    def timed(self, path: str, data: bytes | None = None, cookie: bool = True) -> float:
        headers = {"Cookie": self.cookie} if cookie else {}
        if data is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(self.base + path, data=data, headers=headers)  # noqa: S310
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (loopback)
            response.read()
            assert response.status == 200, response.status
            assert "/login/" not in response.url, response.url
        return (time.perf_counter() - started) * 1000

    def sample(self) -> None:
        from newsletter import tokens

        self.progress_ms.append(self.timed(self.progress_url))
        self.figures_ms.append(self.timed(self.figures_url))
        self.baseline_ms.append(self.timed(self.baseline_url))
        if self.targets:
            delivery_id, email = self.targets.pop(0)
            token = tokens.make_token(tokens.UNSUBSCRIBE, email=email, delivery_id=delivery_id)
            path = f"/nieuwsbrief/afmelden/{token}/direct/"
            self.unsubscribe_ms.append(self.timed(path, b"List-Unsubscribe=One-Click", cookie=False))


def page_queries(page) -> tuple[int, int, int]:
    """SQL queries of the progress page, its figures and a one-click unsubscribe (in this process)."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from newsletter import tokens
    from newsletter.models import Delivery
    from stadshart.mfa import mark_verified

    client = Client(HTTP_HOST="localhost")
    user = get_user_model().objects.get(username="bench-communicatie")
    client.force_login(user)
    session = client.session
    mark_verified(session, user, "bench")
    session.save()
    with CaptureQueriesContext(connection) as progress:
        client.get(reverse("newsletter_send", kwargs={"page_id": page.pk}))
    with CaptureQueriesContext(connection) as figures:
        client.get(reverse("newsletter_send_progress", kwargs={"page_id": page.pk}))
    delivery_id, email = Delivery.objects.filter(send__newsletter=page).values_list("pk", "email").first()
    token = tokens.make_token(tokens.UNSUBSCRIBE, email=email, delivery_id=delivery_id)
    with CaptureQueriesContext(connection) as unsubscribe:
        client.post(
            f"/nieuwsbrief/afmelden/{token}/direct/",
            data="List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )
    return len(progress), len(figures), len(unsubscribe)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=1_000_000)
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 2, help="worker processes")
    parser.add_argument("--batch", type=int, default=1000, help="recipients per ESP call")
    parser.add_argument("--sample-every", type=float, default=1.0, help="seconds between user requests")
    args = parser.parse_args()

    common.ensure_database()
    common.setup_django()
    print(f"load average at the start: {load()}", flush=True)
    ensure_million(args.recipients)
    reset_consents()

    from django.conf import settings
    from django.db import connection
    from django.db.models import Count

    from newsletter import services
    from newsletter.models import Delivery, Send

    folder = Path(tempfile.mkdtemp())
    calls = folder / "esp-calls"
    port = common.free_port()
    esp = common.start_esp(port, calls)
    queue = f"bench-million-{os.getpid()}"
    env = {
        **os.environ,
        # The workers as in production: DEBUG off (no query log growing in memory).
        "DEBUG": "0",
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "EMAIL_BACKEND": "anymail.backends.mailgun.EmailBackend",
        "ANYMAIL_MAILGUN_API_KEY": "key-bench-only",
        "ANYMAIL_MAILGUN_API_URL": f"http://127.0.0.1:{port}/v3",
        "ANYMAIL_MAILGUN_SENDER_DOMAIN": "mg.stadshart.example",
        "NEWSLETTER_BATCH_SEND": "1",
        "NEWSLETTER_MERGE_FIELD": "%recipient.{name}%",
        "NEWSLETTER_BATCH_SIZE": str(args.batch),
        "NEWSLETTER_TASK_QUEUE": queue,
        "NEWSLETTER_PARALLEL_TASKS": str(args.concurrency),
        "CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
    }
    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "celery", "-A", "stadshart", "worker", "--pool=prefork"]
        + [f"--concurrency={args.concurrency}", "-Q", queue, "--without-gossip", "--without-mingle"]
        + ["--loglevel=WARNING"],
        cwd=BASE,
        env=env,
    )
    web_port = common.free_port()
    # The admin's styles as production serves them (whitenoise's manifest), collected once.
    env["STATIC_ROOT"] = str(Path(tempfile.gettempdir()) / "million-bench-static")
    if not (Path(env["STATIC_ROOT"]) / "staticfiles.json").exists():
        common.manage("collectstatic", "--no-input", "-v0", env={**env, **PRODUCTION})
    web = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "stadshart.wsgi:application", "--workers", "2", "--preload"]
        + ["--bind", f"127.0.0.1:{web_port}", "--log-level", "warning"],
        cwd=BASE,
        env={**env, **PRODUCTION},
    )
    figures = {}
    try:
        time.sleep(5)  # the worker connects
        settings.NEWSLETTER_TASK_QUEUE = queue
        settings.NEWSLETTER_PARALLEL_TASKS = args.concurrency
        with connection.cursor() as cursor:  # the last run's deliveries, without the ORM's cascade
            last = (
                "SELECT s.id FROM newsletter_send s JOIN wagtailcore_page p ON p.id = s.newsletter_id "
                "WHERE p.slug = 'bench-million'"
            )
            cursor.execute(f"DELETE FROM newsletter_deliveryevent WHERE send_id IN ({last})")  # noqa: S608
            cursor.execute(f"DELETE FROM newsletter_delivery WHERE send_id IN ({last})")  # noqa: S608
        page = common.newsletter("million", {})  # everyone: the region's newsletter
        size_before, deliveries_before = database_bytes(), deliveries_bytes()
        load_queue = load()
        started = time.perf_counter()
        send = services.queue_send(page)  # the workers start when it commits
        queue_seconds = time.perf_counter() - started
        total = Delivery.objects.filter(send=send).count()
        print(
            f"queued {total:,} deliveries in {queue_seconds:.1f} s (load average {load_queue} → {load()})",
            flush=True,
        )

        sampler = Sampler(page, send, web_port)
        progress_queries, figures_queries, unsubscribe_queries = page_queries(
            page
        )  # while the send is active
        cpu_before = common.cpu_seconds(common.tree(worker.pid)), common.cpu_seconds([esp.pid])
        send_started = time.perf_counter()
        rss: dict[int, list[tuple[float, float]]] = {}
        next_sample = time.perf_counter()
        loads = [float(load())]
        done = 0
        while done < total:
            now = time.perf_counter()
            for pid, sizes in per_process_memory_mb(worker.pid).items():
                rss.setdefault(pid, []).append((done / total, sizes))
            if now >= next_sample:
                sampler.sample()
                next_sample = now + args.sample_every
                loads.append(float(load()))
            done = common.esp_recipients(calls)
            if Send.objects.filter(pk=send.pk, status=Send.Status.SENT).exists():
                break
            if now - send_started > 3600:
                print("gave up after an hour", flush=True)
                break
            time.sleep(0.2)
        send_seconds = time.perf_counter() - send_started
        worker_cpu = common.cpu_seconds(common.tree(worker.pid)) - cpu_before[0]
        esp_cpu = common.cpu_seconds([esp.pid]) - cpu_before[1]
        statuses = dict(
            Delivery.objects.filter(send=send).values_list("status").annotate(n=Count("pk")).order_by()
        )
        rate = done / send_seconds
        print(
            f"handed over {done:,} messages in {send_seconds:.0f} s: {rate:,.0f} msg/s with "
            f"{args.concurrency} worker processes on {os.cpu_count()} cores "
            f"(load average during the send: median {sorted(loads)[len(loads) // 2]:.1f}, max {max(loads):.1f})",
            flush=True,
        )
        print(f"deliveries by status: {statuses}")
        print(
            f"CPU per message: workers {1000 * worker_cpu / done:.3f} ms, loopback ESP "
            f"{1000 * esp_cpu / done:.3f} ms; the worker processes' CPU alone would allow "
            f"{os.cpu_count() * done / worker_cpu:,.0f} msg/s on {os.cpu_count()} free cores"
        )

        def at(samples, fraction):
            return min(samples, key=lambda sample: abs(sample[0] - fraction))[1]

        memory = {}
        for pid, samples in sorted(rss.items()):
            memory[pid] = {}
            for index, kind in enumerate(("rss", "pss", "private", "file")):
                memory[pid][kind] = {
                    "at_10pct": round(at(samples, 0.1)[index]),
                    "at_50pct": round(at(samples, 0.5)[index]),
                    "at_end": round(samples[-1][1][index]),
                    "peak": round(max(sizes[index] for _fraction, sizes in samples)),
                }
                figures_of = memory[pid][kind]
                print(
                    f"worker process {pid}, {kind:>7}: {figures_of['at_10pct']} MB at 10 %, "
                    f"{figures_of['at_50pct']} MB at 50 %, {figures_of['at_end']} MB at the end; "
                    f"peak {figures_of['peak']} MB"
                )
        progress = common.spread(sampler.progress_ms)
        figures_read = common.spread(sampler.figures_ms)
        baseline = common.spread(sampler.baseline_ms)
        unsubscribe = common.spread(sampler.unsubscribe_ms)
        print(
            f"progress page during the send (gunicorn, DEBUG off), {len(sampler.progress_ms)} reads: median "
            f"{progress['median']:.0f} ms, p95 {progress['p95']:.0f} ms, max {progress['max']:.0f} ms; "
            f"{progress_queries} SQL queries. The account page beside it: median {baseline['median']:.0f} ms, "
            f"p95 {baseline['p95']:.0f} ms"
        )
        print(
            f"the progress page's figures, read every 5 s while it is open, {len(sampler.figures_ms)} reads: "
            f"median {figures_read['median']:.0f} ms, p95 {figures_read['p95']:.0f} ms, "
            f"max {figures_read['max']:.0f} ms; {figures_queries} SQL queries"
        )
        print(
            f"one-click unsubscribe during the send, {len(sampler.unsubscribe_ms)} posts: median "
            f"{unsubscribe['median']:.0f} ms, p95 {unsubscribe['p95']:.0f} ms, max {unsubscribe['max']:.0f} ms; "
            f"{unsubscribe_queries} SQL queries"
        )
        size_after, deliveries_after = database_bytes(), deliveries_bytes()
        per_recipient = (size_after - size_before) / total
        print(
            f"database grew {(size_after - size_before) / 2**20:,.0f} MB: {per_recipient:.0f} bytes per recipient "
            f"(deliveries and their indexes {(deliveries_after - deliveries_before) / total:.0f} bytes per recipient)"
        )
        figures = dict(
            recipients=total,
            concurrency=args.concurrency,
            batch=args.batch,
            queue_seconds=round(queue_seconds, 1),
            send_seconds=round(send_seconds, 1),
            messages_per_second=round(rate),
            worker_cpu_ms_per_message=round(1000 * worker_cpu / done, 3),
            esp_cpu_ms_per_message=round(1000 * esp_cpu / done, 3),
            statuses=statuses,
            worker_rss_mb=memory,
            progress_ms=progress,
            progress_queries=progress_queries,
            progress_figures_ms=figures_read,
            progress_figures_queries=figures_queries,
            account_page_ms=baseline,
            unsubscribe_ms=unsubscribe,
            unsubscribe_queries=unsubscribe_queries,
            database_bytes_per_recipient=round(per_recipient),
            deliveries_bytes_per_recipient=round((deliveries_after - deliveries_before) / total),
            load_average_at_queue=float(load_queue),
            load_average_during_send={"median": sorted(loads)[len(loads) // 2], "max": max(loads)},
        )
    finally:
        pool = common.tree(worker.pid)
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a task still in its time budget: no need to wait
            for pid in pool:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            worker.wait(timeout=10)
        web.send_signal(signal.SIGTERM)
        web.wait(timeout=30)
        esp.send_signal(signal.SIGTERM)
        esp.wait(timeout=10)
    common.emit("newsletter_million", **figures)


if __name__ == "__main__":
    main()
