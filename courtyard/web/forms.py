from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class LoginForm(forms.Form):
    phone = forms.CharField(label=_("Mobile number"), max_length=20,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "username", "inputmode": "tel"}))
    password = forms.CharField(label=_("Password"), max_length=128,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class SettingsForm(forms.Form):
    elderly_mode = forms.BooleanField(label=_("Elderly mode: larger text, stronger contrast, bigger buttons"),
                                      required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


def _new_password_fields():
    from django.contrib.auth import password_validation

    new = forms.CharField(label=_("New password"), max_length=128, strip=False,
                          help_text=password_validation.password_validators_help_text_html(),
                          widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    again = forms.CharField(label=_("New password again"), max_length=128, strip=False,
                            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    return new, again


class PasswordChangeForm(forms.Form):
    old = forms.CharField(label=_("Current password"), max_length=128, strip=False,
                          widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    new, again = _new_password_fields()


class PasswordResetForm(forms.Form):
    phone = forms.CharField(label=_("Mobile number"), max_length=20,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "username", "inputmode": "tel"}))
    code = forms.CharField(label=_("Code from the SMS"), max_length=12,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))
    new, again = _new_password_fields()
