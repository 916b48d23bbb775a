"""The values the AI editor exchanges with its callers (re-exported by drafting.api)."""

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Source:
    """One piece of the organisation's own material, fenced as data in prompts.

    `text` is plain text without personal data of individuals: callers summarise or strip it
    (drafting additionally scrubs e-mail addresses and phone numbers from every prompt).
    """

    kind: str  # "news" | "event" | "project" | "newsletter" | "status_change" | "signals" | "page" | ...
    title: str
    text: str
    url: str = ""
    date: datetime.date | None = None


@dataclass(frozen=True)
class DraftRequest:
    """What a caller wants drafted, and the JSON Schema (an object) the answer must fit."""

    purpose: str  # "newsletter" | "rewrite" | "social" | "alt_text" | ... (usage log, budgets)
    prompt: str  # name of a versioned prompt file in drafting/prompts/ (without ".txt")
    schema: dict
    brief: str = ""
    sources: tuple[Source, ...] = ()
    options: dict = field(default_factory=dict)
    image: bytes | None = None  # alt text only


@dataclass
class DraftResult:
    data: dict  # parsed, validated against the schema, every HTML string cleaned
    model: str  # the model's name, or "sjabloon" for the template drafter
    prompt_version: str
    call_id: int | None  # the drafting.AICall row
    template: bool  # made by the template drafter (no AI server configured)


@dataclass(frozen=True)
class Claim:
    """A fact in a text that the brief and the sources do not support ("niet gevonden in de bronnen")."""

    kind: str  # "date" | "time" | "amount" | "percentage" | "url" | "email" | "phone" | "name" | "host"
    text: str
    start: int
    end: int


class DraftingError(Exception):
    """A draft could not be made. `message` is Dutch and meant for the editor.

    `retryable` says whether trying again may help; `retry_after` is the seconds to wait, if known.
    """

    def __init__(
        self,
        message: str,
        *,
        retryable: bool = False,
        retry_after: int | None = None,
        detail: str = "",
        outcome: str = "error",
    ):
        super().__init__(message)
        self.message = message
        self.retryable = retryable
        self.retry_after = retry_after
        self.detail = detail  # technical detail for the usage log, never shown to the editor
        self.outcome = outcome  # drafting.AICall.Outcome value for the usage log
        self.call_id: int | None = None

    def as_dict(self) -> dict:
        return {"message": self.message, "retryable": self.retryable, "retry_after": self.retry_after}
