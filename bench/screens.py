"""Benchmark: the screens people wait for (issue 15, "Speed people feel"), on either database.

    STADSHART_VAR_DIR=/tmp/bench .venv/bin/python -m bench.screens --scale 1          # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stadshart_bench \\
        .venv/bin/python -m bench.screens --scale 30                                  # PostgreSQL

Loads `seed_demo --scale N` into the database first when it is empty (on SQLite the file in the
var directory). Then renders each screen as the demo colleague who uses it (a Django test client
logged in with the second factor passed, as in the tests): the newsletter editor (Wagtail's edit
view of the newest newsletter with blocks), the newsletter list (the explorer of the newsletters'
index page), CRM search with four queries, the stakeholder map (whole and filtered), segments and
Mijn werk. Prints the median and 95th percentile per screen, the SQL queries each ran, the load
average beside the figures and one BENCH_JSON line. Figures, not assertions: the tests assert the
query counts.
"""

import argparse
import os
import time
from pathlib import Path

from bench import common

# As in production (docker/compose.yaml): connections are kept, not opened per request.
common.setup_django(DEBUG="1", CONN_MAX_AGE="60")

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402

from crm.models import Interaction, Organisation  # noqa: E402
from newsletter.models import NewsletterIndexPage, NewsletterPage  # noqa: E402
from stadshart import mfa, roles  # noqa: E402

SEARCHES = ["gouden leuw", "kafe kroon", "havenkade 1", "bakkerij"]


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def client_for(user) -> Client:
    """A client of `user` with the second factor passed, as a real login leaves it."""
    client = Client()
    client.force_login(user)
    session = client.session
    mfa.mark_verified(session, user, "bench")
    session.save()
    return client


def colleague(role: str, **most):
    users = get_user_model().objects.filter(groups__name=role, is_active=True)
    if most:
        users = users.annotate(**most).order_by(f"-{next(iter(most))}")
    return users.order_by("pk").first() if not most else users.first()


def screens() -> dict[str, tuple]:
    """Screen name → (user, list of addresses, taken in turn)."""
    communicatie = colleague(roles.COMMUNICATIE)
    accountmanager = colleague(
        roles.ACCOUNTMANAGER, open_follow_ups=Count("follow_ups", filter=Q(follow_ups__done_at=None))
    )
    index = NewsletterIndexPage.objects.first()
    # The editor of the newsletter with the most blocks among the newest: what communicatie opens.
    newest = NewsletterPage.objects.order_by("-latest_revision_created_at", "-pk")[:10]
    editing = max(newest, key=lambda page: len(page.body)) if newest else None
    street = (
        Organisation.objects.exclude(street="").values_list("street", flat=True).order_by("street").first()
    )
    return {
        "newsletter editor": (communicatie, [f"/admin/pages/{editing.pk}/edit/"] if editing else []),
        "newsletter list": (communicatie, [f"/admin/pages/{index.pk}/"] if index else []),
        "CRM search": (accountmanager, [f"/admin/crm/search/?q={q.replace(' ', '+')}" for q in SEARCHES]),
        "stakeholder map": (accountmanager, ["/admin/crm/stakeholders/"]),
        "stakeholder map, a street": (accountmanager, [f"/admin/crm/stakeholders/?street={street}"]),
        "segments": (accountmanager, ["/admin/crm/segments/"]),
        "Mijn werk": (accountmanager, ["/admin/crm/my-work/"]),
    }


def counted(client, url) -> int:
    """SQL queries of one request (counted at the cursor, so a reconnect loses none)."""
    seen = []

    def count(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(seen)


def timed(client, url) -> tuple[float, float]:
    """Wall-clock and this process's CPU milliseconds of one request.

    The CPU time leaves out the waits of a machine shared with other work (and the database's own
    process), so it moves less with the load average than the wall clock does.
    """
    started, cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    took, cpu = (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return took, cpu


def slowest(client, url) -> None:
    seen = []

    def timed_query(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            seen.append(((time.perf_counter() - started) * 1000, sql))

    with connection.execute_wrapper(timed_query):
        client.get(url)
    for took, sql in sorted(seen, reverse=True):
        print(f"{took:8.1f} ms  {sql[:300]}")


def profile(client, url) -> None:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(client.get, url)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=30)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--only", default="", help="screens whose name contains this")
    parser.add_argument(
        "--profile", action="store_true", help="print where each screen's time goes (cProfile)"
    )
    parser.add_argument("--queries", action="store_true", help="print each screen's queries, slowest first")
    args = parser.parse_args()
    # Not setup_test_environment(): its template instrumentation would be timed too.
    settings.ALLOWED_HOSTS.append("testserver")
    if connection.vendor == "sqlite":
        os.makedirs(Path(settings.DATABASES["default"]["NAME"]).parent, exist_ok=True)
    call_command("migrate", verbosity=0)
    if not Organisation.objects.exists():
        started = time.perf_counter()
        call_command("seed_demo", scale=args.scale, verbosity=0)
        print(f"seed_demo --scale {args.scale}: {time.perf_counter() - started:.0f} s")
    organisations = Organisation.objects.count()
    print(
        f"{connection.vendor}, scale {args.scale}: {organisations} organisations, "
        f"{Interaction.objects.count()} interactions, {NewsletterPage.objects.count()} newsletters; "
        f"load average {load()}"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    figures = {}
    for name, (user, urls) in screens().items():
        if args.only.lower() not in name.lower() or not urls:
            continue
        client = client_for(user)
        for url in urls:
            client.get(url)  # warm up (caches, templates)
        queries = max(counted(client, url) for url in urls)
        if args.profile:
            profile(client, urls[0])
        if args.queries:
            slowest(client, urls[0])
        measured = [timed(client, urls[run % len(urls)]) for run in range(args.runs)]
        cpu = common.spread([c for _, c in measured])
        figures[name] = {
            **common.spread([t for t, _ in measured]),
            "cpu_median": cpu["median"],
            "queries": queries,
            "load": load(),
        }
        print(
            f"{name:<28} median {figures[name]['median']:7.1f} ms   p95 {figures[name]['p95']:7.1f} ms   "
            f"CPU {cpu['median']:6.1f} ms   {queries:3d} queries   load {figures[name]['load']}",
            flush=True,
        )
    common.emit("screens", scale=args.scale, runs=args.runs, organisations=organisations, screens_ms=figures)


if __name__ == "__main__":
    main()
