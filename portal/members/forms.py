"""The members' forms: they check input and say what is wrong in Dutch; services do the work."""

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from crm.models import Consent, Interest, Organisation
from crm.validators import normalise_digits, validate_kvk_number
from portal.members.models import Application, Report
from portal.members.services import WORDING
from portal.members.uploads import clean_image
from stadshart.forms import NoLabelColon


class MemberLoginForm(NoLabelColon, AuthenticationForm):
    """Log in with the email address (a member's username is their address, in lower case)."""

    username = forms.EmailField(
        label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class NewPasswordForm(NoLabelColon, forms.Form):
    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html,
    )
    password2 = forms.CharField(
        label=_("Type the password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same."))
        elif first:
            person = self.invitation.person if self.invitation else None
            user = get_user_model()(
                username=self.invitation.email if self.invitation else "",
                email=self.invitation.email if self.invitation else "",
                first_name=person.first_name if person else "",
                last_name=person.last_name if person else "",
            )
            try:
                password_validation.validate_password(first, user)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


def kvk_field(*, required: bool) -> forms.CharField:
    # Longer than 8: people type "1234 5678" or "12.34.56.78"; the digits are checked after cleaning.
    return forms.CharField(
        label=_("KvK number"),
        max_length=20,
        required=required,
        help_text=_("The 8 digits of your registration at the Chamber of Commerce (KvK)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


def clean_kvk(value: str) -> str:
    value = normalise_digits(value)
    validate_kvk_number(value)
    return value


class ApplicationForm(NoLabelColon, forms.ModelForm):
    """Self sign-up: a business asks to join the portal."""

    kvk_number = kvk_field(required=True)

    class Meta:
        model = Application
        fields = ["business_name", "kvk_number", "first_name", "last_name", "email", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"message": _("Optional: anything we should know.")}

    def clean_kvk_number(self):
        return clean_kvk(self.cleaned_data["kvk_number"])

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class LogoField(forms.FileField):
    widget = forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"})

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and hasattr(upload, "size"):
            clean_image(upload, max_bytes=2 * 1024 * 1024)  # raises a Dutch ValidationError
        return upload


class BusinessForm(NoLabelColon, forms.ModelForm):
    """The business's details as the public profile shows them (wizard step 1 and My business)."""

    new_logo = LogoField(label=_("Logo"), required=False, help_text=_("An image of at most 2 MB."))
    kvk_number = kvk_field(required=False)

    class Meta:
        model = Organisation
        fields = [
            "name",
            "street",
            "house_number",
            "house_number_addition",
            "postcode",
            "town",
            "kvk_number",
            "opening_hours",
            "website",
            "instagram",
            "facebook",
            "linkedin",
            "description",
        ]
        widgets = {
            "opening_hours": forms.Textarea(attrs={"rows": 4}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "website": forms.URLInput(attrs={"placeholder": "https://"}),
        }
        help_texts = {
            "opening_hours": _("For example: Mon–Fri 9:00–18:00, Sat 9:00–17:00."),
            "description": _("A few sentences for the business directory (at most 600 characters)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = _("Business name")

    def clean_kvk_number(self):
        return clean_kvk(self.cleaned_data["kvk_number"])

    def profile_changes(self) -> dict:
        """The cleaned values, as the model normalised them (postcode "1234 AB", KvK digits only)."""
        return {name: getattr(self.instance, name) for name in self.Meta.fields}


class InterestsForm(NoLabelColon, forms.Form):
    interests = forms.ModelMultipleChoiceField(
        label=_("What does your business care about?"),
        queryset=Interest.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class NewsletterForm(NoLabelColon, forms.Form):
    service = forms.BooleanField(label=WORDING[Consent.Topic.SERVICE_NEWSLETTER], required=False)
    marketing = forms.BooleanField(label=WORDING[Consent.Topic.MARKETING_NEWSLETTER], required=False)


YES_NO = [("ja", _("Yes, list my business")), ("nee", _("No, do not list my business"))]


class DirectoryForm(NoLabelColon, forms.Form):
    listed = forms.ChoiceField(
        label=_("Show your business in the business directory?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text=WORDING[Consent.Topic.DIRECTORY],
    )


class ColleagueForm(NoLabelColon, forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=80)
    last_name = forms.CharField(label=_("Last name"), max_length=120)
    email = forms.EmailField(label=_("Email address"))


class CloseAccountForm(NoLabelColon, forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(label=_("Yes, close my account"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("That is not your password."))
        return password


class PhotoField(forms.FileField):
    widget = forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"})

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and hasattr(upload, "size"):
            clean_image(upload)
        return upload


class ReportForm(NoLabelColon, forms.Form):
    category = forms.ChoiceField(
        label=_("What kind of problem?"), choices=Report.Category.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label=_("What is the problem?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    location = forms.CharField(
        label=_("Where?"), max_length=200, help_text=_("A street and house number, or a landmark.")
    )
    latitude = forms.DecimalField(required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput)
    longitude = forms.DecimalField(required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput)
    photo = PhotoField(
        label=_("Photo (optional)"),
        required=False,
        help_text=_("A photo of at most 8 MB. We remove its location data."),
    )
