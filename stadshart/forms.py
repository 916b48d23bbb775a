from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm


class StaffLoginForm(LoginForm):
    """Wagtail's login form, with the password label translated (Wagtail 8 leaves it untranslatable)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")


class NoLabelColon:
    """Labels without Django's ":" suffix: our forms set the label above its field, where Dutch
    forms put no colon. Mix in before the form class."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
