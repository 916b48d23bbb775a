import os

from celery import shared_task
from django.db import connection


@shared_task
def health_check() -> dict:
    """Prove a worker is alive and reaches the database; the result is stored by the result backend."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (answer,) = cursor.fetchone()
    return {"worker_pid": os.getpid(), "database": connection.vendor, "database_answer": answer}
