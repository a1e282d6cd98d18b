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
