from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from keeping.restore import UnknownBackupTime, after_restore


class Command(BaseCommand):
    help = (
        "After restoring the database by other means than restore_backup (pg_restore by hand, a "
        "provider's snapshot): hold every send that was in progress or due, so nothing is sent "
        "twice before a person decides. Run it before starting the workers."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--taken-at",
            help="When the restored data was backed up (ISO 8601, e.g. 2026-11-26T02:15). Needed only "
            "when the backup was not made by `manage.py backup`.",
        )

    def handle(self, *args, taken_at=None, **options):
        when = None
        if taken_at:
            when = parse_datetime(taken_at)
            if when is None:
                raise CommandError(f"Not a date and time: {taken_at}")
            if timezone.is_naive(when):
                when = timezone.make_aware(when)
        try:
            run = after_restore(taken_at=when)
        except UnknownBackupTime as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Data of {timezone.localtime(run.backup_taken_at):%Y-%m-%d %H:%M}; "
            f"held {len(run.held_sends)} send(s)."
        )
