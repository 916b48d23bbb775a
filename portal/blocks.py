"""StreamField blocks of the portal, defined once and shared by every page type (and newsletters)."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from stadshart.richtext import CleanRichTextBlock, SafeURLBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=120)

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "portal/blocks/heading_block.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=200)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "portal/blocks/image_block.html"


class ButtonBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Button text"), max_length=60)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = SafeURLBlock(label=_("Or a web address"), required=False)

    class Meta:
        icon = "link"
        label = _("Button")
        template = "portal/blocks/button_block.html"


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = CleanRichTextBlock(
        label=_("Text"), features=["bold", "italic", "link", "ol", "ul", "h3"], icon="pilcrow"
    )
    image = ImageBlock()
    button = ButtonBlock()
