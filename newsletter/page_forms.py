"""The newsletter editor's form: a title never collides with a hidden draft's address."""

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page


class NewsletterPageForm(WagtailAdminPageForm):
    def clean_slug(self):
        """A newsletter not yet public gets a free address (`-2`, `-3`, …) instead of an error.

        The slug follows the title, and an abandoned draft with the same title is invisible in the
        archive, so "slug already in use" would only puzzle the writer. Once an issue is public its
        address is kept as the writer set it (Wagtail's own check then applies).
        """
        slug = self.cleaned_data.get("slug", "")
        if not slug or (self.instance.pk and self.instance.live) or self.parent_page is None:
            return slug
        candidate, suffix = slug, 1
        while not Page._slug_is_available(candidate, self.parent_page, self.instance):
            suffix += 1
            candidate = f"{slug}-{suffix}"
        return candidate
