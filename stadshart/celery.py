"""The Celery app. Configured from Django settings (the CELERY_* names); tasks live in each app."""

import gc
import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stadshart.settings")

app = Celery("stadshart")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_init.connect
def _freeze_before_forking(**_kwargs):
    """Move what the parent loaded (Django, Wagtail, the libraries) out of the collector's sight
    before the pool forks: the collector then never writes to those shared pages, so each pool
    process keeps them shared instead of copying them (gc.freeze's documented use)."""
    gc.freeze()
