"""Newsletters: the import surface of the newsletter app's models."""

from newsletter.models.pages import (
    NewsletterApproval,
    NewsletterIndexPage,
    NewsletterKind,
    NewsletterPage,
    NewsletterSettings,
)
from newsletter.models.sending import Delivery, Send, Suppression

__all__ = [
    "Delivery",
    "NewsletterApproval",
    "NewsletterIndexPage",
    "NewsletterKind",
    "NewsletterPage",
    "NewsletterSettings",
    "Send",
    "Suppression",
]
