"""Benchmark: the board's dashboard (Inzichten) for every kind of filter, at scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stadshart_bench \\
        .venv/bin/python -m bench.insights --scale 100

Loads `seed_demo --scale N` into that database first when it is empty (about 34,000 organisations,
80,000 people and a million interactions and deliveries at 100). Then renders the whole page (the
view, every query and the template, as a Bestuur member) for each period (month, quarter, year,
a custom 90 days) with no segment and with a street, a sector and a kind, and prints the median
and 95th percentile per filter and the SQL queries each ran. Also times the XLSX and the PDF once.
Reach is kept per send and segment (insights.tallies): the filters are timed as kept (the warm-up
read derives them), and the first read after a CRM change (every send's segments derived again) is
timed apart, and so is beat's round that derives them ahead of the board. Each round also times a
tiny admin list (as bench.crm_pages does), and each filter's median is printed as a multiple of
its median: the machines this runs on differ in speed by up to three times between days, and that
ratio compares across them. Figures, not assertions: the tests assert the query counts.
"""

import argparse
import datetime as dt
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
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from crm.models import Interaction, Organisation, Person  # noqa: E402
from insights import tallies  # noqa: E402
from insights.models import ReachTallyBasis  # noqa: E402
from newsletter.models import Delivery, DeliveryEvent  # noqa: E402
from stadshart import gunicorn_conf, mfa  # noqa: E402

URL = "/admin/insights/"
BASELINE = "/admin/crm/interests/"  # a tiny admin list: the machine's speed in the same rounds


def filters() -> dict[str, dict]:
    today = timezone.localdate()
    street = (
        Organisation.objects.exclude(street="")
        .values("street")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("street", flat=True)
        .first()
    )
    periods = {
        "month": {"period": "month"},
        "quarter": {"period": "quarter"},
        "year": {"period": "year"},
        "custom 90 days": {
            "period": "custom",
            "start": (today - dt.timedelta(days=89)).isoformat(),
            "end": today.isoformat(),
        },
    }
    segments = {
        "": {},
        ", street": {"street": street},
        ", sector": {"sector": "horeca"},
        ", kind": {"kind": "ondernemer"},
    }
    return {
        f"{period}{segment}": {**p_query, **s_query}
        for period, p_query in periods.items()
        for segment, s_query in segments.items()
    }


def load() -> str:
    """The load average over the last minute: the CPU is shared, so every figure says how busy it was."""
    with open("/proc/loadavg") as file:
        return file.read().split()[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    # Not setup_test_environment(): its template instrumentation would be timed too.
    settings.ALLOWED_HOSTS.append("testserver")
    call_command("migrate", verbosity=0)
    if not Organisation.objects.exists():
        started = time.perf_counter()
        call_command("seed_demo", scale=args.scale, verbosity=0)
        print(f"seed_demo --scale {args.scale}: {time.perf_counter() - started:.0f} s")
    sizes = {
        "organisations": Organisation.objects.count(),
        "people": Person.objects.count(),
        "interactions": Interaction.objects.count(),
        "deliveries": Delivery.objects.count(),
        "events": DeliveryEvent.objects.count(),
    }
    print(f"{connection.vendor}: " + ", ".join(f"{n} {name}" for name, n in sizes.items()))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            print(f"PostgreSQL jit: {cursor.fetchone()[0]}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    board = get_user_model().objects.filter(groups__name="Bestuur").first()
    request_started.disconnect(reset_queries)
    client = Client()
    client.force_login(board)
    # The admin asks every staff login for its second factor: mark this session as having passed it.
    session = client.session
    mfa.mark_verified(session, board, "bench")
    session.save()
    gunicorn_conf.post_worker_init(worker=None)  # measure the page as a web worker serves it

    # The tiny list as bench.crm_pages reads it: an Accountmanager's (the board may not read it).
    colleague = common.staff_client(get_user_model().objects.filter(groups__name="Accountmanager").first())

    def timed(url, query=None) -> float:
        started = time.perf_counter()
        response = (colleague if url == BASELINE else client).get(url, query)
        assert response.status_code == 200, (url, response.status_code)
        return (time.perf_counter() - started) * 1000

    timed(BASELINE)  # warm up
    figures, all_times, baseline_times = {}, [], []
    for name, query in filters().items():
        client.get(URL, query)  # warm up
        connection.force_debug_cursor = True
        connection.queries_log.clear()  # a full log (the seed's queries) would not grow
        response = client.get(URL, query)
        queries = len(connection.queries_log)
        connection.force_debug_cursor = False
        assert response.status_code == 200, (name, response.status_code)
        times, baseline = [], []
        for _ in range(args.runs):
            baseline.append(timed(BASELINE))
            times.append(timed(URL, query))
        all_times += times
        baseline_times += baseline
        spread = common.spread(times)
        ratio = spread["median"] / statistics.median(baseline)
        figures[name] = {
            **spread,
            "queries": queries,
            "times_baseline": round(ratio, 1),
            "load": float(load()),
        }
        print(
            f"{name:<28} median {spread['median']:7.1f} ms   p95 {spread['p95']:7.1f} ms   {queries:3d} queries"
            f"   {ratio:4.1f} x the tiny list   load {load()}"
        )

    # A CRM change makes every kept segment stale; beat's round (insights.tasks.refresh_reach, every
    # few minutes) derives them again ahead of the board. What that round costs, and the read after it:
    business = Organisation.objects.filter(kind="ondernemer").exclude(sector="horeca").order_by("pk").first()
    sector = business.sector
    Organisation.objects.filter(pk=business.pk).update(sector="horeca")
    started = time.perf_counter()
    derived = tallies.refresh()
    refresh_ms = round((time.perf_counter() - started) * 1000, 1)
    shapes = ReachTallyBasis.objects.values("shape").distinct().count()
    print(
        f"beat's round after a CRM change: {len(derived)} sends x {shapes} shapes derived in {refresh_ms:.1f} ms"
        f"   load {load()}"
    )
    started = time.perf_counter()
    client.get(URL, filters()["year, street"])
    after_refresh_ms = round((time.perf_counter() - started) * 1000, 1)
    print(f"{'year, street, after that round':<44} {after_refresh_ms:7.1f} ms   load {load()}")
    Organisation.objects.filter(pk=business.pk).update(sector=sector)
    tallies.refresh()

    # Reach is kept per send and segment (insights.tallies), so every figure above reads kept rows
    # (the warm-up derived them). What the first read after a change of the CRM's roles or
    # organisations costs, when every send's segments are derived again:
    cold = {}
    for name in ("year", "year, street"):
        ReachTallyBasis.objects.all().delete()
        started = time.perf_counter()
        client.get(URL, filters()[name])
        cold[name] = round((time.perf_counter() - started) * 1000, 1)
        print(f"{name + ', reach derived again':<44} {cold[name]:7.1f} ms   load {load()}")

    files = {}
    # Twice each: the first PDF of a process also loads WeasyPrint and its fonts (about a second).
    for fmt, run in (("xlsx", 1), ("pdf", 1), ("xlsx", 2), ("pdf", 2)):
        started = time.perf_counter()
        response = client.get(URL, {"period": "quarter", "format": fmt})
        files[f"{fmt}_{run}"] = round((time.perf_counter() - started) * 1000, 1)
        assert response.status_code == 200, fmt
        print(
            f"quarter as {fmt.upper()}, run {run:<9} {files[f'{fmt}_{run}']:7.1f} ms "
            f"({len(response.content):,} bytes)   load {load()}"
        )
    overall = common.spread(all_times)
    tiny = common.spread(baseline_times)
    overall["times_baseline"] = round(overall["median"] / tiny["median"], 1)
    print(
        f"all filters: median {overall['median']:.1f} ms, p95 {overall['p95']:.1f} ms "
        f"(target: median < 500 ms, p95 < 1000 ms); {overall['times_baseline']} x the tiny list's median"
    )
    print(f"the tiny admin list in the same rounds: median {tiny['median']:.1f} ms, p95 {tiny['p95']:.1f} ms")
    common.emit(
        "insights",
        scale=args.scale,
        runs=args.runs,
        **sizes,
        filters=figures,
        files_ms=files,
        all=overall,
        baseline_ms=tiny,
        cold_ms=cold,
        refresh_ms=refresh_ms,
        after_refresh_ms=after_refresh_ms,
    )


if __name__ == "__main__":
    main()
