from django.core.management.base import BaseCommand, CommandError

from keeping.backups import BackupError, destination, make_backup, prune


class Command(BaseCommand):
    help = (
        "Back up the database and the media folder now (compressed; encrypted when "
        "BACKUP_GPG_RECIPIENT is set) to BACKUP_DIR or the S3 bucket, then remove backups older "
        "than BACKUP_KEEP_DAYS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-prune", action="store_true", help="Keep old backups this time.")

    def handle(self, *args, no_prune=False, **options):
        try:
            run = make_backup()
        except BackupError as error:
            raise CommandError(f"Backup failed: {error}") from error
        self.stdout.write(f"Backup {run.name} written to {destination()}:")
        for item in run.files:
            self.stdout.write(f"  {item['name']}  {item['bytes']:,} bytes  sha256 {item['sha256'][:16]}…")
        if not no_prune:
            for name in prune():
                self.stdout.write(f"Removed old backup {name}")
