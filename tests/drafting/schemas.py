"""The consumer shapes as the consumer apps register them (drafting.api.shape), for the drafting tests."""

from drafting.api import shape

NEWSLETTER = shape("newsletter").schema
REWRITE = shape("rewrite").schema
SOCIAL = shape("social").schema
ALT_TEXT = shape("alt_text").schema

__all__ = ["ALT_TEXT", "NEWSLETTER", "REWRITE", "SOCIAL"]
