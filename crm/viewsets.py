"""Admin screens for the CRM's records (Wagtail ModelViewSets), all under the "Relaties" menu."""

from django import forms
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.viewsets.model import ModelViewSet

from crm.models import Interest, Organisation, Person, Premises
from crm.views import organisations as organisation_views
from crm.views import people as people_views

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


class OrganisationViewSet(ModelViewSet):
    model = Organisation
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
    list_filter = [
        "kind",
        "sector",
        "lifecycle",
        "fund_status",
        "attitude",
        "portal_member",
        "account_manager",
    ]
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
                FieldRowPanel([FieldPanel("fund_status"), FieldPanel("yearly_contribution")]),
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

    def get_queryset(self, request):
        return Organisation.objects.all()


class PersonViewSet(ModelViewSet):
    model = Person
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

    def get_queryset(self, request):
        return Person.objects.filter(erased_at__isnull=True)


class PremisesViewSet(ModelViewSet):
    model = Premises
    menu_hook = MENU_HOOK
    menu_label = _("Premises")
    menu_order = 120
    icon = "home"
    url_prefix = "crm/premises"
    url_namespace = "crm_premises"
    list_display = [
        TitleColumn("__str__", label=_("address"), url_name="crm_premises:edit"),
        "owner",
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
    menu_hook = MENU_HOOK
    menu_label = _("Interests")
    menu_order = 190
    icon = "tag"
    url_prefix = "crm/interests"
    url_namespace = "crm_interest"
    list_display = ["name", "is_active"]
    form_fields = ["name", "slug", "description", "is_active"]


def detail_url(obj) -> str:
    return reverse(f"crm_{obj._meta.model_name}:detail", args=[obj.pk])
