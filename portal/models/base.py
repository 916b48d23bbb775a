"""What the portal's pages share: the PortalPage base and list helpers."""

from django.core.paginator import Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page
from wagtail.search import index

LIST_SIZE = 12


def _paginate(request, items, per_page: int = LIST_SIZE):
    return Paginator(items, per_page).get_page(request.GET.get("pagina"))


def _query_string(request) -> str:
    """The filters of this address without the page number, for the links to other pages."""
    params = request.GET.copy()
    params.pop("pagina", None)
    return params.urlencode()


class PortalPage(Page):
    """What every portal page shares: a plain-text intro used as the description for search engines."""

    intro = models.TextField(_("introduction"), max_length=600, blank=True)

    search_fields = Page.search_fields + [index.SearchField("intro")]

    class Meta:
        abstract = True

    @property
    def meta_description(self) -> str:
        return self.search_description or self.intro
