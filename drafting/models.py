"""The AI editor's records: every call to a model (the usage log) and every background draft."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AICall(models.Model):
    """One request to the AI server (or the template drafter): who, what for, cost and outcome.

    The usage log the monthly budget and the per-user rate limit are counted from, and what the
    admin's "AI-assistent" screen shows.
    """

    class Outcome(models.TextChoices):
        OK = "ok", _("Succeeded")
        TEMPLATE = "template", _("Template drafter")
        TIMEOUT = "timeout", _("Timed out")
        RATE_LIMITED = "rate_limited", _("Rate limited")
        SERVER_ERROR = "server_error", _("Server error")
        REFUSED = "refused", _("Refused")
        CONTENT_FILTER = "content_filter", _("Content filter")
        MALFORMED = "malformed", _("Malformed output")
        INVALID = "invalid", _("Invalid output")
        BLOCKED = "blocked", _("Over budget or limit")
        ERROR = "error", _("Error")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    purpose = models.CharField(max_length=40)
    model = models.CharField(max_length=100, blank=True)
    prompt_name = models.CharField(max_length=100, blank=True)
    prompt_version = models.CharField(max_length=40, blank=True)
    tokens_in = models.PositiveIntegerField(default=0)
    tokens_out = models.PositiveIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("AI call")
        verbose_name_plural = _("AI calls")
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self):
        return f"{self.purpose} {self.model} {self.outcome}"

    @property
    def tokens(self) -> int:
        return self.tokens_in + self.tokens_out


class DraftJob(models.Model):
    """A draft made in the worker: the web process only queues it and the editor polls its state."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED, db_index=True)
    purpose = models.CharField(max_length=40)
    handler = models.CharField(max_length=100)
    request = models.JSONField()
    target = models.JSONField(default=dict, blank=True)
    result = models.JSONField(null=True, blank=True)
    handler_result = models.JSONField(null=True, blank=True)
    error_message = models.TextField(blank=True)
    retryable = models.BooleanField(default=False)
    retry_after = models.PositiveIntegerField(null=True, blank=True)
    call = models.ForeignKey(AICall, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("draft job")
        verbose_name_plural = _("draft jobs")
        permissions = [("use_ai", "Can draft with the AI editor and see its usage")]

    def __str__(self):
        return f"{self.purpose} #{self.pk} ({self.state})"
