"""`manage.py import_crm FILE [--dry-run] [--user NAME]`: the importer of the admin, for operators."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from crm.importing import ImportFileError, import_organisations


class Command(BaseCommand):
    help = "Import organisations and their contact person from a CSV or XLSX file."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .csv (; or ,) or .xlsx file with a header row")
        parser.add_argument("--dry-run", action="store_true", help="check and count, but write nothing")
        parser.add_argument("--user", help="username recorded as the importer in the audit trail")

    def handle(self, *args, file, dry_run, user, verbosity, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        importer = None
        if user:
            importer = get_user_model().objects.filter(username=user).first()
            if importer is None:
                raise CommandError(f"No user named {user!r}")

        def progress(done: int, total: int) -> None:
            if verbosity:
                self.stdout.write(f"  {done}/{total} rows checked")

        try:
            with path.open("rb") as handle:
                batch = import_organisations(
                    file=handle, filename=path.name, user=importer, dry_run=dry_run, on_progress=progress
                )
        except ImportFileError as error:
            raise CommandError(str(error)) from None

        for row in batch.rejected_rows:
            prefix = "note" if row.get("kept") else "rejected"
            self.stdout.write(f"line {row['line']}: {prefix}: {row['reason']}")
        summary = (
            f"{batch.total_rows} rows: {batch.created_count} new, {batch.matched_count} matched "
            f"to existing records, {batch.rejected_count} rejected"
        )
        if dry_run:
            self.stdout.write(self.style.WARNING(f"Dry run, nothing written. {summary}."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Import #{batch.pk} done. {summary}."))
