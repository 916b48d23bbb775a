"""What the benchmarks share: Django and database set-up, /proc readings, an SMTP sink, their figures.

Run a benchmark from the repository's root as a module, `.venv/bin/python -m bench.<name> [options]`.
Each prints a table for people and, last, one line `BENCH_JSON {...}` with the same figures for
comparing runs (`grep '^BENCH_JSON ' | cut -c12-` gives JSON).
"""

import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

BASE = Path(__file__).resolve().parent.parent
JSON_PREFIX = "BENCH_JSON "


# Set-up ---------------------------------------------------------------------------------------


def setup_django(**defaults: str) -> None:
    """Django with the project's settings; `defaults` are environment variables unless already set."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stadshart.settings")
    for name, value in defaults.items():
        os.environ.setdefault(name, value)
    import django

    django.setup()


def newsletter_defaults() -> None:
    """The newsletter benchmarks' database and broker, unless the environment names others."""
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/stadshart_bench_newsletter")
    os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/4")
    os.environ.setdefault("SITE_URL", "https://stadshart.example")


def ensure_database() -> None:
    """Create DATABASE_URL's PostgreSQL database when it is missing, then migrate it (in a child process)."""
    url = urlparse(os.environ["DATABASE_URL"])
    if url.scheme.startswith("postgres"):
        import psycopg

        name = url.path.lstrip("/")
        with psycopg.connect(url._replace(path="/postgres").geturl(), autocommit=True) as admin:
            if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                admin.execute(f'CREATE DATABASE "{name}"')
    manage("migrate", "--noinput", "-v", "0", env=os.environ)


def manage(*args: str, env) -> str:
    """`manage.py` in a child process; its output."""
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=BASE, env=env, check=True, capture_output=True, text=True
    )
    return result.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def staff_client(user):
    """A Django test client logged in as `user`, past the second factor as a real login would be."""
    from django.test import Client

    from stadshart import mfa

    client = Client()
    client.force_login(user)
    session = client.session
    mfa.mark_verified(session, user, "bench")
    session.save()
    return client


# Figures --------------------------------------------------------------------------------------


def p95(values) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


def spread(values) -> dict:
    """Median, 95th percentile and maximum of timings (rounded to 0.1)."""
    return {
        "median": round(statistics.median(values), 1),
        "p95": round(p95(values), 1),
        "max": round(max(values), 1),
    }


def emit(bench: str, **figures) -> None:
    """The run's figures as one JSON line, after the table people read."""
    record = {"bench": bench, "database": _database_vendor(), "cpus": os.cpu_count(), **figures}
    print(JSON_PREFIX + json.dumps(record, sort_keys=True, default=str), flush=True)


def _database_vendor() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return "postgresql" if url.startswith("postgres") else "sqlite"


def load_average() -> str:
    """The machine's 1/5/15-minute load averages: the CPU is shared, so every figure says how busy it was."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def slowest(queries: list[dict], count: int = 1) -> list[dict]:
    """The `count` slowest of Django's logged queries ({"sql", "time"}), slowest first."""
    return sorted(queries, key=lambda query: float(query["time"]), reverse=True)[:count]


def explain(sql: str, params=None, *, lines: int = 25) -> list[str]:
    """PostgreSQL's EXPLAIN (ANALYZE, BUFFERS) of one query: where its time goes, independent of load.

    Run inside a transaction that is rolled back, so that explaining a write changes nothing.
    Empty on other databases.
    """
    from django.db import connection, transaction

    if connection.vendor != "postgresql" or not sql.lstrip().upper().startswith(("SELECT", "WITH")):
        return []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        plan = [row[0] for row in cursor.fetchall()]
        transaction.set_rollback(True)
    return plan if len(plan) <= lines else [*plan[: lines - 2], "  …", plan[-1]]


def print_plans(name: str, queries: list[dict], count: int = 1) -> list[dict]:
    """Print the plans of a page's or read's slowest queries; returns [{"ms", "sql", "plan_ms"}] for the JSON."""
    found = []
    for query in slowest(queries, count):
        plan = explain(query["sql"])
        if not plan:
            continue
        execution = next((line for line in reversed(plan) if line.startswith("Execution Time")), "")
        print(f"  slowest query of {name}: {float(query['time']) * 1000:.1f} ms; {query['sql'][:300]}")
        print("\n".join("      " + line for line in plan))
        found.append(
            {"ms": round(float(query["time"]) * 1000, 1), "sql": query["sql"][:300], "plan": execution}
        )
    return found


# Processes, read from /proc -------------------------------------------------------------------


def tree(pid: int) -> list[int]:
    """A process and its living children (a Celery or gunicorn parent and its workers)."""
    try:
        return [pid, *(int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split())]
    except OSError:
        return [pid]


def cpu_seconds(pids: list[int]) -> float:
    """CPU seconds (user + system) these processes have used."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


def resident_kb(pids: list[int]) -> int:
    """Resident memory (kB) of these processes."""
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def postgres() -> list[int]:
    """Every PostgreSQL process on this machine (its backends come and go with connections)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().startswith("postgres"):
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


# The SMTP sink --------------------------------------------------------------------------------


def _serve(kind: str, port: int, path: Path) -> subprocess.Popen:
    """`python -m bench.common KIND PORT PATH` in its own process, once it accepts connections."""
    Path(path).touch()
    process = subprocess.Popen([sys.executable, "-m", "bench.common", kind, str(port), str(path)], cwd=BASE)  # noqa: S603
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    sys.exit(f"bench.common {kind} did not start on port {port}")


def start_sink(port: int, path: Path) -> subprocess.Popen:
    """An aiosmtpd server in its own process that accepts everything and notes each recipient in `path`.

    One line per recipient: the time it arrived (Unix seconds) and the address.
    """
    return _serve("sink", port, path)


def arrivals(path: Path) -> list[tuple[float, str]]:
    """(time, address) per message the sink accepted, in order."""
    found = []
    for line in Path(path).read_text().splitlines():
        at, address = line.split()
        found.append((float(at), address))
    return found


def arrived(path: Path) -> int:
    """How many messages the sink has accepted so far."""
    return Path(path).read_bytes().count(b"\n")


def _run_sink(port: int, path: str) -> None:
    from aiosmtpd.controller import Controller

    out = open(path, "a", buffering=1)  # noqa: SIM115 - open while the sink runs

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            for to in envelope.rcpt_tos:
                out.write(f"{time.time():.3f} {to}\n")
            return "250 OK"

    Controller(Handler(), hostname="127.0.0.1", port=port).start()
    while True:
        time.sleep(1)


# A loopback ESP ---------------------------------------------------------------------------------


def start_esp(port: int, path: Path) -> subprocess.Popen:
    """A loopback HTTP server in its own process answering as Mailgun's messages API does.

    Form fields in (as anymail's Mailgun backend posts them), `{"id": …, "message": "Queued. Thank
    you."}` out, like the server in tests/newsletter/test_esp_batch.py; it only counts each call's
    recipients, one line per call in `path`: the time it arrived (Unix seconds) and how many.
    Point anymail at it with ANYMAIL_MAILGUN_API_URL=http://127.0.0.1:PORT/v3.
    """
    return _serve("esp", port, path)


def esp_recipients(path: Path) -> int:
    """How many recipients the loopback ESP has accepted so far."""
    return sum(int(line.split()[1]) for line in Path(path).read_text().splitlines())


def _run_esp(port: int, path: str) -> None:
    import json as json_module
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from itertools import count

    out = open(path, "a", buffering=1)  # noqa: SIM115 - open while the server runs
    calls = count(1)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as requests' session uses it

        def do_POST(self):  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            # Each recipient is one "to" field, multipart or urlencoded; counting is all we need.
            recipients = body.count(b'name="to"') + body.count(b"&to=") + body.startswith(b"to=")
            out.write(f"{time.time():.3f} {recipients}\n")
            answer = json_module.dumps(
                {"id": f"<bench.{next(calls)}@mg.stadshart.example>", "message": "Queued. Thank you."}
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


# The newsletter benchmarks' audience ----------------------------------------------------------


def ensure_audience(total: int, small: int) -> None:
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
        _create_audience(have, total, small)
        # As in production, where autovacuum keeps the planner's statistics current.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    # The next 5,000 live on the Proefstraat: the audience of the unsubscribe and fault runs.
    Organisation.objects.filter(name__in=[f"Benchzaak {n}" for n in range(small, small + 5000)]).exclude(
        street="Proefstraat"
    ).update(street="Proefstraat")


def _create_audience(have: int, total: int, small: int) -> None:
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


if __name__ == "__main__":
    if sys.argv[1:2] == ["sink"]:
        _run_sink(int(sys.argv[2]), sys.argv[3])
    elif sys.argv[1:2] == ["esp"]:
        _run_esp(int(sys.argv[2]), sys.argv[3])
    else:
        sys.exit("usage: python -m bench.common sink|esp PORT PATH")
