"""The CRM's records in the admin: every view set of the app (``crm.viewsets``), registered here."""

from wagtail import hooks

from crm.viewsets import InterestViewSet, OrganisationViewSet, PersonViewSet, PremisesViewSet, segment_viewset


@hooks.register("register_admin_viewset")
def register_record_viewsets():
    return [OrganisationViewSet(), PersonViewSet(), PremisesViewSet(), InterestViewSet(), segment_viewset]


@hooks.register("register_crm_menu_item")
def register_segment_menu_item():
    return segment_viewset.get_menu_item(order=400)
