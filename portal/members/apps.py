from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    """The portal's members: accounts, invitations, sign-up, onboarding, My business and reports."""

    name = "portal.members"
    label = "members"
    verbose_name = _("Members")

    def ready(self):
        from portal.members import receivers  # noqa: F401
