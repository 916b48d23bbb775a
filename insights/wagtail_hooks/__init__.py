from . import home  # noqa: F401
