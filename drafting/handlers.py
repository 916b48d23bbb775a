"""Handlers that consumer apps register to store a finished background draft (e.g. a revision)."""

from collections.abc import Callable

_HANDLERS: dict[str, Callable] = {}


def register_handler(name: str, func: Callable) -> None:
    """Register `func(job, result, target) -> dict`, called in the worker when a job's draft is made.

    Call it from the consumer app's AppConfig.ready(), so web process and worker both know it.
    """
    _HANDLERS[name] = func


def get_handler(name: str) -> Callable:
    try:
        return _HANDLERS[name]
    except KeyError:
        raise LookupError(f"No drafting handler registered as {name!r}") from None


def is_registered(name: str) -> bool:
    return name in _HANDLERS


def return_data(job, result, target) -> dict:
    """The built-in handler "drafting.return_data": the draft itself lands in the job's status, for
    callers that show it in the browser (a rewrite suggestion) instead of storing it."""
    return {"data": result.data, "model": result.model, "template": result.template}


register_handler("drafting.return_data", return_data)
