"""StreamField blocks of a newsletter; each has an email template (tables, inline-able CSS)."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from portal.blocks import ButtonBlock, HeadingBlock, ImageBlock
from stadshart.richtext import CleanRichTextBlock


class GreetingBlock(blocks.StructBlock):
    """ "Beste Sanne," – the name is filled in per recipient when the mail is sent."""

    salutation = blocks.CharBlock(label=_("Salutation"), default="Beste", max_length=40)
    fallback = blocks.CharBlock(
        label=_("Without a name"),
        default="ondernemer",
        max_length=60,
        help_text=_("Used when we have no first name."),
    )

    class Meta:
        icon = "user"
        label = _("Personal greeting")
        template = "email/blocks/greeting_block.html"


class DividerBlock(blocks.StaticBlock):
    """A line between sections (a table cell with a border: an <hr> looks different in every app)."""

    class Meta:
        icon = "horizontalrule"
        label = _("Divider")
        admin_text = _("A line between sections.")
        template = "email/blocks/divider_block.html"


class LatestNewsBlock(blocks.StructBlock):
    """Teasers of the portal's latest news, read when the newsletter is rendered."""

    heading = blocks.CharBlock(label=_("Heading"), default="Nieuws", max_length=120)
    count = blocks.IntegerBlock(label=_("Number of items"), default=3, min_value=1, max_value=10)

    class Meta:
        icon = "doc-full"
        label = _("Latest news")
        template = "email/blocks/latest_news_block.html"


class UpcomingEventsBlock(blocks.StructBlock):
    """The portal's coming events, read when the newsletter is rendered."""

    heading = blocks.CharBlock(label=_("Heading"), default="Agenda", max_length=120)
    count = blocks.IntegerBlock(label=_("Number of events"), default=3, min_value=1, max_value=10)

    class Meta:
        icon = "date"
        label = _("Upcoming events")
        template = "email/blocks/upcoming_events_block.html"


class ColumnContentBlock(blocks.StreamBlock):
    """What a column may hold; the mail's own templates (tables, inlinable classes), not the portal's."""

    heading = HeadingBlock(template="email/blocks/heading_block.html")
    paragraph = CleanRichTextBlock(
        label=_("Text"),
        features=["bold", "italic", "link", "ul"],
        icon="pilcrow",
        template="email/blocks/paragraph_block.html",
    )
    image = ImageBlock(template="email/blocks/image_block.html")
    button = ButtonBlock(template="email/blocks/button_block.html")


class TwoColumnBlock(blocks.StructBlock):
    """Two columns side by side on a wide screen, one under the other on a phone."""

    left = ColumnContentBlock(label=_("Left column"))
    right = ColumnContentBlock(label=_("Right column"))

    class Meta:
        icon = "table"
        label = _("Two columns")
        template = "email/blocks/two_column_block.html"


class NewsletterBodyBlock(blocks.StreamBlock):
    greeting = GreetingBlock()
    heading = HeadingBlock(template="email/blocks/heading_block.html")
    paragraph = CleanRichTextBlock(
        label=_("Text"),
        features=["bold", "italic", "link", "ol", "ul", "h3"],
        icon="pilcrow",
        template="email/blocks/paragraph_block.html",
    )
    image = ImageBlock(template="email/blocks/image_block.html")
    button = ButtonBlock(template="email/blocks/button_block.html")
    news = LatestNewsBlock()
    events = UpcomingEventsBlock()
    columns = TwoColumnBlock()
    divider = DividerBlock()
