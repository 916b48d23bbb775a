"""The Celery app. Configured from Django settings (the CELERY_* names); tasks live in each app."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stadshart.settings")

app = Celery("stadshart")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
