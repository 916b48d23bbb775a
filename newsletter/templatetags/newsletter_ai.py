"""The AI check panel, for templates of other newsletter screens (the "Bekijk en test" preview)."""

from django import template

register = template.Library()


@register.inclusion_tag("newsletter/drafting/_review_panel.html")
def ai_review_panel(page):
    from newsletter.ai_review import review

    return {"review": review(page), "compact": True}
