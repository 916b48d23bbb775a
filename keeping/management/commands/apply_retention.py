from django.core.management.base import BaseCommand

from keeping.retention import apply_retention


class Command(BaseCommand):
    help = (
        "Apply the retention periods (settings.RETENTION_DAYS) now: remove or anonymise what is "
        "older than its period, and record what was done. Runs every night through beat."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be done.")

    def handle(self, *args, dry_run=False, **options):
        run = apply_retention(dry_run=dry_run)
        verb = "Would remove or anonymise" if dry_run else "Removed or anonymised"
        for kind, result in run.results.items():
            if result.get("kept"):
                self.stdout.write(f"{kind}: kept forever (period 0)")
                continue
            done = ", ".join(
                f"{key} {value}" for key, value in result.items() if key not in ("period_days", "before")
            )
            self.stdout.write(f"{kind} (older than {result['period_days']} days): {done}")
        self.stdout.write(f"{verb} {run.total} records in all.")
        if run.error:
            self.stderr.write(run.error)
