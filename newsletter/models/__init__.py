"""Newsletters: the import surface of the newsletter app's models."""

from newsletter.models.ai import AIDraft, AIRewrite
from newsletter.models.pages import (
    NewsletterIndexPage,
    NewsletterKind,
    NewsletterPage,
    NewsletterSettings,
)
from newsletter.models.review import EditorialReviewTask, NewsletterApproval
from newsletter.models.sending import Delivery, DeliveryCount, Send
from newsletter.models.subscriptions import SubscriptionRequest, Suppression
from newsletter.models.tracking import DeliveryEvent

__all__ = [
    "AIDraft",
    "AIRewrite",
    "Delivery",
    "DeliveryCount",
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
