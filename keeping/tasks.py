"""Nightly jobs (beat, see settings): a backup and the retention periods. Both are safe to run twice."""

from celery import shared_task

from keeping import backups, retention


@shared_task(soft_time_limit=3 * 3600, time_limit=3 * 3600 + 300)
def nightly_backup() -> dict:
    run = backups.make_backup()
    return {"backup": run.name, "bytes": run.size, "pruned": backups.prune()}


@shared_task(soft_time_limit=3600, time_limit=3900)
def nightly_retention() -> dict:
    run = retention.apply_retention()
    return {"run": run.pk, "total": run.total}
