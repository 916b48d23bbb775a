"""Gunicorn's settings for the web service: `gunicorn -c python:stadshart.gunicorn_conf stadshart.wsgi`.

The Docker image's command uses it (docker/Dockerfile); options on the command line override these.
"""

import gc
from importlib import import_module

bind = "0.0.0.0:8000"
workers = 3
timeout = 60
accesslog = "-"


def post_worker_init(worker) -> None:
    """Once a worker has loaded the site, move what it loaded out of the garbage collector's sight.

    A worker holds some 270,000 objects from Django, Wagtail and the libraries. Every full
    collection walked all of them: a 190 ms pause in one request of about thirty (My work at scale
    100, through Django's test client: the slowest of 60 requests 264-293 ms, 89-118 ms frozen).
    They live as long as the process, so the collector has nothing to find among them (gc.freeze's
    documented use).
    """
    from django.conf import settings

    import_module(settings.ROOT_URLCONF)  # the views and URL patterns, loaded at the first request otherwise
    gc.freeze()
