from django.core.management.base import BaseCommand, CommandError

from keeping.backups import BackupError, find_manifest, restore, table_counts
from keeping.restore import after_restore


class Command(BaseCommand):
    help = (
        "Replace the database and the media folder with a backup (default: the newest). Stop the "
        "web and worker processes first. Afterwards every send that was in progress is held until a "
        "person decides how to continue, and the row counts are compared with the backup's."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help="The backup's name, e.g. stadshart-20261126-021500.")
        parser.add_argument("--yes", action="store_true", help="Do it: everything since the backup is lost.")
        parser.add_argument("--passphrase", help="Passphrase of the GPG key, for an encrypted backup.")

    def handle(self, *args, name=None, yes=False, passphrase=None, **options):
        try:
            manifest = find_manifest(name)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if not yes:
            raise CommandError(
                f"This replaces the database and media with backup {manifest.name} "
                f"({manifest.taken_at:%Y-%m-%d %H:%M}); everything since is lost. Add --yes to go ahead."
            )
        try:
            restore(manifest, passphrase=passphrase)
        except BackupError as error:
            raise CommandError(f"Restore failed: {error}") from error
        run = after_restore(backup_name=manifest.name)
        self.stdout.write(f"Restored {manifest.name}.")
        if run.held_sends:
            self.stdout.write(
                f"Held {len(run.held_sends)} send(s) that were in progress or due: a person decides on "
                "each send's screen how to continue."
            )
        now = table_counts()
        short = {
            table: (count, now.get(table, 0))
            for table, count in manifest.tables.items()
            if now.get(table, 0) < count
        }
        for table, (expected, actual) in sorted(short.items()):
            self.stdout.write(f"  {table}: {actual} rows, the backup counted {expected}")
        if short:
            raise CommandError(f"{len(short)} table(s) have fewer rows than the backup counted.")
        self.stdout.write(f"All {len(manifest.tables)} tables hold at least the rows the backup counted.")
