"""The newsletter app's admin: composing and review here; sending and tracking in their own modules."""

from newsletter import hooks_sending, hooks_tracking  # noqa: F401  (registers their hooks)
