"""Every admin view set of the CRM (organisations, people, premises, interests, segments), all under
the "Relaties" menu; registered in ``crm.wagtail_hooks.records``."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Exists, F, OuterRef, Subquery
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from crm import services
from crm.forms.segments import SegmentForm
from crm.models import Interest, Occupancy, Organisation, Person, Premises, Segment
from crm.queries import segments as segment_queries
from crm.queries.search import forgiving
from crm.views import organisations as organisation_views
from crm.views import people as people_views
from crm.views.deleting import DeleteView
from crm.views.segments import count_view

# The "Relaties" menu (crm.wagtail_hooks.menu); named here so that this module does not import hooks.
MENU_HOOK = "register_crm_menu_item"

ADDRESS_PANEL = MultiFieldPanel(
    [
        FieldRowPanel(
            [FieldPanel("street"), FieldPanel("house_number"), FieldPanel("house_number_addition")]
        ),
        FieldRowPanel([FieldPanel("postcode"), FieldPanel("town")]),
    ],
    heading=_("Address"),
)


POSITION_FIELDS = ("influence", "interest_level", "attitude")


class _KeepsPositionHistory:
    """Create and edit views of organisations: a changed stakeholder position is also kept in history."""

    def save_instance(self):
        changed = self.form.instance.pk is None or any(
            name in self.form.changed_data for name in POSITION_FIELDS
        )
        instance = super().save_instance()
        if changed and any(getattr(instance, name) for name in POSITION_FIELDS):
            services.record_stakeholder_position(organisation=instance, user=self.request.user)
        return instance


class _ForgivingSearch:
    """A list's search box: the CRM's one search (typos and accents forgiven), best first unless sorted."""

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        found = forgiving(queryset, self.search_query)
        return self.order_queryset(found) if self.is_explicitly_ordered else found


class OrganisationIndexView(_ForgivingSearch, generic.IndexView):
    pass


class OrganisationEditView(_KeepsPositionHistory, generic.EditView):
    pass


class OrganisationCreateView(_KeepsPositionHistory, generic.CreateView):
    pass


class OrganisationFilterSet(WagtailFilterSet):
    # Only staff manage accounts: listing every user (thousands of members' portal accounts at scale)
    # as a choice made this filter most of the list's time and page.
    account_manager = django_filters.ModelChoiceFilter(
        label=_("account manager"),
        queryset=get_user_model().objects.filter(is_staff=True).order_by("first_name", "last_name"),
    )

    class Meta:
        model = Organisation
        fields = [
            "kind",
            "sector",
            "lifecycle",
            "fund_status",
            "attitude",
            "portal_member",
            "account_manager",
        ]


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    delete_view_class = DeleteView  # says what goes with it, counted
    index_view_class = OrganisationIndexView
    add_view_class = OrganisationCreateView
    edit_view_class = OrganisationEditView
    menu_hook = MENU_HOOK
    menu_label = _("Organisations")
    menu_order = 100
    icon = "group"
    url_prefix = "crm/organisations"
    url_namespace = "crm_organisation"
    list_display = [
        TitleColumn("name", label=_("name"), url_name="crm_organisation:detail", sort_key="name"),
        "kind",
        Column("street_address", label=_("address")),
        "lifecycle",
        "fund_status",
        DateColumn("last_contact_at", label=_("last contact"), sort_key="last_contact_at"),
    ]
    filterset_class = OrganisationFilterSet
    search_fields = ["search_text"]
    search_backend_name = None
    ordering = ["name"]
    list_per_page = 50
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldRowPanel([FieldPanel("kind"), FieldPanel("sector")]),
                FieldRowPanel([FieldPanel("kvk_number"), FieldPanel("branch_number")]),
            ],
            heading=_("Organisation"),
        ),
        ADDRESS_PANEL,
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("email"), FieldPanel("phone")]), FieldPanel("website")],
            heading=_("Contact"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("lifecycle"), FieldPanel("started_on"), FieldPanel("ended_on")]),
                FieldPanel("fund_status"),
                FieldPanel("portal_member"),
                FieldPanel("account_manager"),
            ],
            heading=_("Membership"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("influence"), FieldPanel("interest_level"), FieldPanel("attitude")]
                ),
                FieldPanel("interests", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("Stakeholder position and interests"),
        ),
    ]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/", organisation_views.OrganisationDetailView.as_view(), name="detail"),
        ]


class PersonIndexView(_ForgivingSearch, generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().filter(erased_at__isnull=True)


class PersonViewSet(ModelViewSet):
    model = Person
    delete_view_class = DeleteView  # says what goes with it, counted
    index_view_class = PersonIndexView
    menu_hook = MENU_HOOK
    menu_label = _("People")
    menu_order = 110
    icon = "user"
    url_prefix = "crm/people"
    url_namespace = "crm_person"
    list_display = [
        TitleColumn("full_name", label=_("name"), url_name="crm_person:detail", sort_key="last_name"),
        DateColumn("updated_at", label=_("updated")),
    ]
    search_fields = ["search_text"]
    search_backend_name = None
    list_per_page = 50
    panels = [
        FieldRowPanel([FieldPanel("first_name"), FieldPanel("last_name")], heading=_("Name")),
        FieldPanel("preferred_language"),
        InlinePanel("emails", heading=_("Email addresses"), label=_("email address")),
        InlinePanel("phones", heading=_("Phone numbers"), label=_("phone number")),
        InlinePanel("roles", heading=_("Roles"), label=_("role")),
        FieldPanel("interests", widget=forms.CheckboxSelectMultiple),
    ]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/", people_views.PersonDetailView.as_view(), name="detail"),
        ]


class PremisesIndexView(_ForgivingSearch, generic.IndexView):
    def get_base_queryset(self):
        # One query for the whole page: the current occupant is read with a subquery, not per row.
        current = Occupancy.objects.filter(premises=OuterRef("pk"), ended_on__isnull=True)
        return (
            super()
            .get_base_queryset()
            .annotate(
                current_occupant=Subquery(current.values("organisation__name")[:1]),
                is_vacant=~Exists(current),
                owner_name=F("owner__name"),
            )
        )


class PremisesViewSet(ModelViewSet):
    model = Premises
    delete_view_class = DeleteView  # says what goes with it, counted
    index_view_class = PremisesIndexView
    menu_hook = MENU_HOOK
    menu_label = _("Premises")
    menu_order = 120
    icon = "home"
    url_prefix = "crm/premises"
    url_namespace = "crm_premises"
    list_display = [
        TitleColumn("__str__", label=_("address"), url_name="crm_premises:edit"),
        Column("current_occupant", label=_("current occupant")),
        BooleanColumn("is_vacant", label=_("vacant")),
        Column("owner_name", label=_("owner")),
        "woz_value",
    ]
    search_fields = ["search_text"]
    search_backend_name = None
    panels = [
        ADDRESS_PANEL,
        FieldRowPanel([FieldPanel("woz_value"), FieldPanel("floor_area")]),
        FieldPanel("owner"),
        FieldPanel("notes"),
    ]


class InterestViewSet(ModelViewSet):
    model = Interest
    delete_view_class = DeleteView  # says what goes with it, counted
    menu_hook = MENU_HOOK
    menu_label = _("Interests")
    menu_order = 190
    icon = "tag"
    url_prefix = "crm/interests"
    url_namespace = "crm_interest"
    # A check mark, not Python's "True" (issue 15).
    list_display = ["name", BooleanColumn("is_active", label=_("in use"))]
    form_fields = ["name", "slug", "description", "is_active"]


def detail_url(obj) -> str:
    return reverse(f"crm_{obj._meta.model_name}:detail", args=[obj.pk])


INVALID = _("invalid filters")


class SegmentIndexView(generic.IndexView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Counts for the segments on this page: two queries however many segments there are.
        page = list(context["object_list"])
        counts = segment_queries.count_many({segment.pk: segment.filters for segment in page})
        for segment in page:
            found = counts.get(segment.pk)
            # Filters stored by an older version or by hand may no longer be valid: say so.
            segment.organisation_count = INVALID if found is None else found["organisations"]
            segment.people_count = INVALID if found is None else found["people"]
        return context


class SegmentCreateView(generic.CreateView):
    def save_instance(self):
        self.form.instance.created_by = self.request.user
        return super().save_instance()


class SegmentEditView(generic.EditView):
    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm("crm.export_records"):
            export = reverse("crm_export:index")
            for name, label in (("organisations", _("Export organisations")), ("people", _("Export people"))):
                query = urlencode({"list": name, "format": "xlsx", "segment": self.object.pk})
                buttons.append(HeaderButton(label, url=f"{export}?{query}", icon_name="download"))
        return buttons


class SegmentViewSet(ModelViewSet):
    model = Segment
    delete_view_class = DeleteView  # says what goes with it, counted
    icon = "list-ul"
    url_prefix = "crm/segments"
    url_namespace = "crm_segment"
    menu_label = _("Segments")
    index_view_class = SegmentIndexView
    add_view_class = SegmentCreateView
    edit_view_class = SegmentEditView
    create_template_name = "crm/segments/form.html"
    edit_template_name = "crm/segments/form.html"
    list_display = [
        TitleColumn("name", label=_("Name"), url_name="crm_segment:edit", sort_key="name"),
        Column("description", label=_("Description")),
        Column("organisation_count", label=_("Organisations")),
        Column("people_count", label=_("People")),
    ]
    search_fields = ["name", "description"]
    search_backend_name = None
    ordering = ["name"]
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return SegmentForm

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("count/", count_view, name="count")]


segment_viewset = SegmentViewSet("crm_segment")
