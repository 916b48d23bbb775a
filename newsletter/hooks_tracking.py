"""Admin hooks for tracking newsletters (statistics, suppressions)."""
