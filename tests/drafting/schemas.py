"""The consumer shapes, shared with the evaluation (drafting/evaluation/schemas.py)."""

from drafting.evaluation.schemas import ALT_TEXT, NEWSLETTER, REWRITE, SOCIAL

__all__ = ["ALT_TEXT", "NEWSLETTER", "REWRITE", "SOCIAL"]
