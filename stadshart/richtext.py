"""Rich text that is clean whatever path it came by: the project's RichTextField and RichTextBlock.

Wagtail's editor only ever stores what its features allow, but HTML also reaches the database from
code: the demo, imports, scripts, the AI drafter, a restored backup, a shell. Cleaning at each of
those callers would leave the next one uncovered, so the field and the block clean themselves with
stadshart.html.clean_html (the one allow-list):

- on every write (`get_prep_value`: save, bulk_create, update(), a revision's JSON), so what is
  stored is clean;
- on every read (`from_db_value`/`to_python`: a page, a revision, a preview, the editor), so
  anything stored before or around this (an old row, raw SQL) is clean by the time it is shown or
  edited; the editor never sees markup it cannot convert. clean_html keeps recent results, so
  reading the same text again costs a dictionary look-up.

The stored format is exactly Wagtail's, so migrations keep naming Wagtail's classes (no migration
for swapping them in, and none if they are swapped out again).
"""

from __future__ import annotations

from wagtail import blocks
from wagtail.fields import RichTextField
from wagtail.rich_text import RichText

from stadshart.html import clean_html, clean_url


class CleanRichTextField(RichTextField):
    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "wagtail.fields.RichTextField", args, kwargs

    def from_db_value(self, value, expression, connection):
        return clean_html(value) if value else value

    def to_python(self, value):
        value = super().to_python(value)
        return clean_html(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return clean_html(value) if value else value


class CleanRichTextBlock(blocks.RichTextBlock):
    @property
    def canonical_module_path(self):
        return "wagtail.blocks.RichTextBlock"

    def to_python(self, value):
        return RichText(clean_html(value or ""))

    def get_prep_value(self, value):
        source = value.source if isinstance(value, RichText) else value
        return clean_html(source or "")

    def normalize(self, value):
        if isinstance(value, RichText):
            return RichText(clean_html(value.source or ""))
        return RichText(clean_html(value or ""))


class SafeURLBlock(blocks.URLBlock):
    """A web address that is only ever http(s), mailto or tel, also when set from code."""

    @property
    def canonical_module_path(self):
        return "wagtail.blocks.URLBlock"

    def to_python(self, value):
        return clean_url(value)

    def get_prep_value(self, value):
        return clean_url(value)
