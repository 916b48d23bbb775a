from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from keeping.archive import export_archive


class Command(BaseCommand):
    help = (
        "Write all of the organisation's data (the CRM, consents, members, the year plan, "
        "newsletters with totals per send, portal pages) to FOLDER as JSON Lines, with a README.md "
        "describing every file and field, for another system to import."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="An empty or new folder.")

    def handle(self, *args, folder, **options):
        try:
            counts = export_archive(folder)
        except FileExistsError as error:
            raise CommandError(str(error)) from error
        for name, count in counts.items():
            self.stdout.write(f"{name}.jsonl: {count}")
        self.stdout.write(
            f"{sum(counts.values())} records in {len(counts)} files, described in {folder}/README.md"
        )
