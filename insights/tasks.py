"""Beat's job for the board's dashboard (see settings): keep the reach per send and segment derived
ahead of the next read. Safe to run twice: it derives only what changed."""

from celery import shared_task

from insights import tallies


@shared_task
def refresh_reach() -> dict:
    return {"derived": tallies.refresh()}
