"""Admin hooks for sending newsletters (send screen, progress, pause/resume/cancel)."""
