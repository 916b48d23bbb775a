from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from keeping.backups import BackupError, check_backup, find_manifest, list_manifests


class Command(BaseCommand):
    help = (
        "List the backups and check that each file is there, whole and unchanged (size and SHA-256 "
        "against the backup's manifest). Exits 1 when a backup is damaged."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help="One backup (default: all).")

    def handle(self, *args, name=None, **options):
        try:
            manifests = [find_manifest(name)] if name else list_manifests()
        except BackupError as error:
            raise CommandError(str(error)) from error
        if not manifests:
            raise CommandError("No backups found.")
        damaged = 0
        for manifest in manifests:
            problems = check_backup(manifest)
            when = timezone.localtime(manifest.taken_at).strftime("%Y-%m-%d %H:%M")
            rows = sum(manifest.tables.values())
            state = "ok" if not problems else "DAMAGED"
            self.stdout.write(
                f"{manifest.name}  {when}  {len(manifest.tables)} tables, {rows:,} rows  {state}"
            )
            for problem in problems:
                self.stdout.write(f"  {problem}")
            damaged += bool(problems)
        if damaged:
            raise CommandError(f"{damaged} damaged backup(s).", returncode=1)
