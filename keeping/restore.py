"""After a restore: find out when the restored data was taken, and hold what could send twice.

The backup's own BackupRun row is in the dump in state "running" (keeping.backups writes it before
dumping), so the restored database itself says when its data was taken; a backup made by other
means needs the time given by hand (`manage.py after_restore --taken-at …`).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from keeping.models import BackupRun, RestoreRun
from newsletter.restore import hold_after_restore


class UnknownBackupTime(Exception):
    """The restored database does not say when it was backed up, and no time was given."""


def backup_time_of_restored_data() -> tuple[str, datetime] | None:
    """The name and time of the backup the database was restored from, if one of ours."""
    marker = BackupRun.objects.filter(state=BackupRun.State.RUNNING).order_by("-started_at").first()
    return (marker.name, marker.started_at) if marker else None


def after_restore(*, taken_at: datetime | None = None, backup_name: str = "", now=None) -> RestoreRun:
    """Hold every send that could send a message twice, and record the restore."""
    now = now or timezone.now()
    found = backup_time_of_restored_data()
    if taken_at is None:
        if found is None:
            raise UnknownBackupTime(
                "The restored database does not record when it was backed up; give --taken-at."
            )
        backup_name, taken_at = backup_name or found[0], found[1]
    with transaction.atomic():
        held = hold_after_restore(backup_taken_at=taken_at, now=now)
        # The backup we came from did finish (we restored it); mark it so in the restored data.
        BackupRun.objects.filter(state=BackupRun.State.RUNNING, started_at__lte=taken_at).update(
            state=BackupRun.State.DONE
        )
        return RestoreRun.objects.create(
            restored_at=now, backup_name=backup_name or "", backup_taken_at=taken_at, held_sends=held
        )
