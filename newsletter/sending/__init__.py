"""Sending newsletters: the engine the Celery tasks run (see the modules below)."""
