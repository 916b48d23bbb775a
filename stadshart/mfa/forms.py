from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """One field for the app's six digits or a recovery code (with or without its hyphen)."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, recovery_allowed=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.recovery_allowed = recovery_allowed
        if recovery_allowed:
            self.fields["code"].help_text = _(
                "The six digits your authenticator app shows, or one of your recovery codes."
            )
        else:
            self.fields["code"].help_text = _("The six digits your authenticator app shows now.")

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split()).replace("-", "").lower()
        if code.isdigit() and len(code) == 6:
            return code
        if self.recovery_allowed and len(code) == 8 and code.isalnum():
            return code
        if self.recovery_allowed:
            raise forms.ValidationError(
                _("Type the six digits from your app, or a recovery code of eight characters.")
            )
        raise forms.ValidationError(_("Type the six digits your app shows."))

    @property
    def is_app_code(self) -> bool:
        return self.cleaned_data["code"].isdigit()
