"""Newsletters: the import surface of the newsletter app's models."""

from newsletter.models.ai import AIDraft, AIRewrite
from newsletter.models.pages import (
    NewsletterApproval,
    NewsletterIndexPage,
    NewsletterKind,
    NewsletterPage,
    NewsletterSettings,
)
from newsletter.models.review import EditorialReviewTask
from newsletter.models.sending import Delivery, Send, Suppression
from newsletter.models.tracking import DeliveryEvent, SubscriptionRequest

__all__ = [
    "AIDraft",
    "AIRewrite",
    "Delivery",
    "DeliveryEvent",
    "EditorialReviewTask",
    "NewsletterApproval",
    "NewsletterIndexPage",
    "NewsletterKind",
    "NewsletterPage",
    "NewsletterSettings",
    "Send",
    "SubscriptionRequest",
    "Suppression",
]
