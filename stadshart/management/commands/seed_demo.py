import random
import resource
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from crm import tallies
from stadshart import demo


def _peak_mb() -> int:
    """This process's peak resident memory so far (Linux reports kB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // (1024 * 1024) if sys.platform == "darwin" else peak // 1024


class Command(BaseCommand):
    help = "Load the demo centre (Veldhaven): staff, portal pages and each app's demo data."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="Multiply the centre, for benchmarks.")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed; one seed gives one centre.")
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when the demo centre is already loaded."
        )

    def handle(self, *args, scale, seed, if_empty, **options):
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        if demo.is_loaded():
            if if_empty:
                self.stdout.write("The demo centre is already loaded; nothing to do.")
                return
            raise CommandError("The demo centre is already loaded. Use a fresh database, or --if-empty.")
        started = time.monotonic()
        rng = random.Random(seed)  # noqa: S311 - demo data must repeat for a seed; nothing secret
        ctx = demo.DemoContext(rng=rng, scale=scale, write=self.stdout.write)
        self.stdout.write(f"Loading the demo centre {demo.TOWN} (scale {scale}, seed {seed})")
        with transaction.atomic():
            demo.seed_apps(
                ctx,
                demo.APP_ORDER,
                report=lambda app, seconds: self.stdout.write(
                    # Where the time goes, for seeding at benchmark scale (seed_demo --scale 100).
                    f"  {app}: {seconds:.1f} s, peak memory {_peak_mb()} MB"
                ),
            )
            # The demo loads contacts as plain rows (no signals): derive the dashboard's counts once.
            summaries_started = time.monotonic()
            kept = tallies.rebuild()
            self.stdout.write(
                f"  contact tallies: {kept['tallies']} rows, {kept['spans']} spans, "
                f"{time.monotonic() - summaries_started:.1f} s, peak memory {_peak_mb()} MB"
            )
        if connection.vendor == "postgresql":
            # After a bulk load the planner's statistics are stale until autovacuum comes by;
            # without fresh ones it picks slow plans for the first minutes. Only our tables: a bare
            # ANALYZE also locks the catalogs all databases share until this transaction ends, and
            # so held up every other database's ANALYZE (a test reading the demo keeps it open).
            tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(table) for table in tables))
        self.stdout.write(self.style.SUCCESS(f"Demo centre loaded in {time.monotonic() - started:.1f} s."))
