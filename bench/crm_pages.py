"""Benchmark: the CRM's record pages at scale (an organisation with its timeline, a person, my work).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stadshart_bench \\
        .venv/bin/python -m bench.crm_pages --scale 30

Loads `seed_demo --scale N` into that database first when it is empty (about 10,000 organisations,
24,000 people and 290,000 interactions at 30). Prints the median and 95th percentile per page and
the SQL queries each page ran. Figures, not assertions: the tests assert the query counts.
"""

import argparse
import random
import statistics
import time

from bench import common

# As in production (docker/compose.yaml): connections are kept, not opened per request.
common.setup_django(DEBUG="1", CONN_MAX_AGE="60")

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.signals import request_started  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402

from crm.models import Interaction, Organisation, Person  # noqa: E402
from stadshart import gunicorn_conf  # noqa: E402

BASELINE = "baseline: a tiny admin list"


def timed(client, url, runs):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def report(name, times, queries, baseline) -> dict:
    figures = common.spread(times)
    ratio = statistics.median(times) / baseline
    print(
        f"{name:<34} median {figures['median']:7.1f} ms   p95 {figures['p95']:7.1f} ms   "
        f"{ratio:4.1f} x the tiny list   {queries:3d} queries"
    )
    return {**figures, "queries": queries, "times_baseline": round(ratio, 2)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=30)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument(
        "--plans", type=int, default=1, help="print EXPLAIN ANALYZE of each page's N slowest queries"
    )
    args = parser.parse_args()
    # Not setup_test_environment(): its template instrumentation would be timed too.
    settings.ALLOWED_HOSTS.append("testserver")
    call_command("migrate", verbosity=0)
    if not Organisation.objects.exists():
        started = time.perf_counter()
        call_command("seed_demo", scale=args.scale, verbosity=0)
        print(f"seed_demo --scale {args.scale}: {time.perf_counter() - started:.0f} s")
    print(
        f"{connection.vendor}: {Organisation.objects.count()} organisations, {Person.objects.count()} people, "
        f"{Interaction.objects.count()} interactions"
    )
    staff = get_user_model().objects.filter(groups__name="Accountmanager").first()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    # As in Django's assertNumQueries: keep the query log across the request's start.
    request_started.disconnect(reset_queries)
    client = common.staff_client(staff)
    # As each gunicorn worker does once it has loaded the site: without it, a full garbage
    # collection over Django's and Wagtail's 270,000 objects paused one request in thirty by ~190 ms.
    gunicorn_conf.post_worker_init(worker=None)
    rng = random.Random(1)
    businesses = list(Organisation.objects.filter(kind="ondernemer").values_list("pk", flat=True))
    people = list(Person.objects.values_list("pk", flat=True)[:5000])
    pages = {
        BASELINE: lambda: "/admin/crm/interests/",
        "organisation page + timeline": lambda: f"/admin/crm/organisations/{rng.choice(businesses)}/",
        "person page + timeline": lambda: f"/admin/crm/people/{rng.choice(people)}/",
        "my work": lambda: "/admin/crm/my-work/",
        "log a visit: find a business": lambda: (
            f"/admin/crm/lookup/organisations/?q={rng.choice(['bakk', 'cafe', 'markt', 'mode jan', '3012'])}"
        ),
        "organisation list (50 a page)": lambda: "/admin/crm/organisations/",
        "organisation list, page 400": lambda: "/admin/crm/organisations/?p=400",
        "organisation list, one filter": lambda: "/admin/crm/organisations/?kind=ondernemer&lifecycle=actief",
        "segments (list with counts)": lambda: "/admin/crm/segments/",
        "segment builder (new)": lambda: "/admin/crm/segments/new/",
        "segment builder: live count": lambda: (
            "/admin/crm/segments/count/?"
            + rng.choice(
                ["kinds=ondernemer&consent=nieuwsbrief_dienst", "sectors=horeca", "streets=Marktstraat"]
            )
        ),
        "stakeholder map": lambda: "/admin/crm/stakeholders/",
    }
    print(f"load average before: {common.load_average()}")
    plans = {}
    for name, url in pages.items():
        client.get(url())  # warm up
        connection.force_debug_cursor = True
        connection.queries_log.clear()  # a full log (9,000 queries, DEBUG's runs before) does not grow
        client.get(url())
        plans[name] = list(connection.queries_log)
        connection.force_debug_cursor = False
    # Round after round of every page, so that a machine whose speed drifts (by half within minutes
    # on a shared host) slows every page alike, and each page's median is also given as a multiple
    # of the tiny list's in the same rounds: that ratio is what compares across machines.
    times = {name: [] for name in pages}
    for _ in range(args.runs):
        for name, url in pages.items():
            times[name] += timed(client, url(), 1)
    baseline = statistics.median(times[BASELINE])
    figures = {}
    for name in pages:
        figures[name] = report(name, times[name], len(plans[name]), baseline)
    print(f"load average after: {common.load_average()}")
    slowest = {}
    for name, queries in plans.items():
        if args.plans:
            slowest[name] = common.print_plans(name, queries, args.plans)
    common.emit(
        "crm_pages",
        scale=args.scale,
        runs=args.runs,
        organisations=Organisation.objects.count(),
        pages_ms=figures,
        load=common.load_average(),
        slowest_queries=slowest,
    )


if __name__ == "__main__":
    main()
