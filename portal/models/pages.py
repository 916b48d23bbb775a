"""The portal's page tree: home (with site search), the news and agenda index pages, the year plan,
the business directory and standard pages. Their lists are read through portal.queries."""

from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from crm.queries import directory
from portal import queries
from portal.blocks import BodyBlock
from portal.cache import PublicPageCacheMixin
from portal.models.base import PortalPage, _paginate, _query_string
from stadshart.richtext import CleanRichTextField


class HomePage(PublicPageCacheMixin, RoutablePageMixin, Page):
    """The front door of the portal: what the centre organisation does, news, events, how to join.

    Site search lives here as a route (`/zoeken/`), so it needs no page of its own in the tree.
    """

    intro = CleanRichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(BodyBlock(), verbose_name=_("content"), blank=True)
    join_heading = models.CharField(_("invitation heading"), max_length=120, blank=True)
    join_text = models.TextField(_("invitation to join"), max_length=600, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("join_heading"), FieldPanel("join_text")], heading=_("Invitation to join")
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "portal.NewsIndexPage",
        "portal.EventIndexPage",
        "portal.ProjectIndexPage",
        "portal.DirectoryPage",
        "portal.StandardPage",
        "newsletter.NewsletterIndexPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    @property
    def meta_description(self) -> str:
        return self.search_description

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_news"] = queries.latest_news(3)
        context["upcoming_events"] = queries.upcoming_events(3)
        return context

    @path("")
    def home(self, request):
        return self.render(request)

    @path("zoeken/", name="search")
    def search(self, request):
        query = request.GET.get("q", "").strip()[:200]
        results = _paginate(request, queries.search_pages(query) if query else [], per_page=10)
        response = TemplateResponse(
            request,
            "portal/search_results.html",
            {
                "page": self,
                "self": self,
                "query": query,
                "results": results,
                "query_string": _query_string(request),
            },
        )
        # Every typed query is a new address: caching them would only fill the cache.
        response.portal_cacheable = False
        # Search results are no page of their own for search engines (the meta tag says so too).
        response["X-Robots-Tag"] = "noindex"
        return response


class NewsIndexPage(PublicPageCacheMixin, PortalPage):
    """The news of the centre organisation, newest first."""

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["portal.NewsPage"]
    max_count = 1

    class Meta:
        verbose_name = _("news index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["news"] = _paginate(request, queries.news_in(self))
        return context


class EventIndexPage(PublicPageCacheMixin, PortalPage):
    """The agenda: coming events first, soonest at the top; the past ones below."""

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["portal.EventPage"]
    max_count = 1

    class Meta:
        verbose_name = _("agenda page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        upcoming, past = queries.events_in(self)
        context["upcoming"] = upcoming
        context["past"] = past
        return context


class ProjectIndexPage(PublicPageCacheMixin, PortalPage):
    """The projects of the year plan with their traffic light and its history (from the projects app)."""

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("projects page")

    def get_context(self, request, *args, **kwargs):
        from projects.queries import public_projects

        context = super().get_context(request, *args, **kwargs)
        context["projects"] = list(public_projects())
        return context


class DirectoryPage(PublicPageCacheMixin, RoutablePageMixin, PortalPage):
    """The business directory: businesses that chose to be listed, with filter, search and a page each."""

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("business directory")

    @path("")
    def listing(self, request):
        from portal.forms import DirectoryFilterForm

        form = DirectoryFilterForm(request.GET or None, streets=directory.streets())
        filters = form.cleaned_data if form.is_valid() else {}
        entries = directory.entries(
            sector=filters.get("sector", ""), street=filters.get("street", ""), name=filters.get("q", "")
        )
        page_of_entries = _paginate(request, entries, per_page=24)
        return self.render(
            request,
            context_overrides={
                "form": form,
                "entries": page_of_entries,
                "filtered": bool(filters),
                "query_string": _query_string(request),
            },
        )

    @path("<int:pk>/<slug:slug>/", name="entry")
    @path("<int:pk>/", name="entry_short")
    def entry(self, request, pk: int, slug: str = ""):
        organisation = directory.entry(pk)
        if organisation is None:
            raise Http404
        if slug != slugify(organisation.name):
            return redirect(self.entry_url(organisation), permanent=True)
        return self.render(
            request,
            template="portal/directory_entry.html",
            context_overrides={"organisation": organisation},
        )

    def entry_url(self, organisation) -> str:
        return self.url + self.reverse_subpage(
            "entry", kwargs={"pk": organisation.pk, "slug": slugify(organisation.name) or "bedrijf"}
        )

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        base = self.get_full_url(request)
        for pk, name, updated_at in directory.sitemap():
            path_part = self.reverse_subpage("entry", kwargs={"pk": pk, "slug": slugify(name) or "bedrijf"})
            urls.append({"location": base + path_part, "lastmod": updated_at})
        return urls


class StandardPage(PublicPageCacheMixin, PortalPage):
    """A plain page of text and pictures ("Over ons", "Contact", …); may be made members-only."""

    body = StreamField(BodyBlock(), verbose_name=_("content"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = PortalPage.search_fields + [index.SearchField("body")]
    parent_page_types = ["portal.HomePage", "portal.StandardPage"]
    subpage_types = ["portal.StandardPage"]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")
