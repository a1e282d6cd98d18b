from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from courtyard.core.models import User

from .choices import PlaceKind
from .models import Place, SelfGovernanceUnit
from .roles import MANAGE_ROLES, ROLE_CHOICES


class GrantForm(forms.Form):
    phone = forms.CharField(label=_("Mobile number of the account"), max_length=20)
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)
    place = forms.ModelChoiceField(label=_("Place"), queryset=Place.objects.none(), required=False,
                                   help_text=_("A district, subdistrict, community, grid, micro-grid or building."))
    unit = forms.ModelChoiceField(label=_("or self-governance unit"), queryset=SelfGovernanceUnit.objects.none(),
                                  required=False)
    title = forms.CharField(label=_("Title (optional)"), max_length=50, required=False)
    end_date = forms.DateField(label=_("Until (optional)"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = (
            Place.objects.visible_to(user, MANAGE_ROLES).exclude(kind=PlaceKind.ENTRANCE).order_by("path")
        )
        self.fields["place"].label_from_instance = lambda p: f"{'— ' * p.depth}{p.name} ({p.get_kind_display()})"
        self.fields["unit"].queryset = SelfGovernanceUnit.objects.visible_to(user, MANAGE_ROLES)
        for f in self.fields.values():
            f.widget.attrs.setdefault("class", "form-select" if isinstance(f.widget, forms.Select) else "form-control")

    def clean_phone(self):
        raw = self.cleaned_data["phone"]
        try:
            return User.objects.get_by_phone(raw)
        except ValueError as exc:
            raise ValidationError(_("“%(value)s” is not a valid mainland mobile number."), params={"value": raw}) from exc
        except User.DoesNotExist as exc:
            raise ValidationError(_("No account uses this mobile number.")) from exc


class RevealForm(forms.Form):
    field = forms.ChoiceField(choices=[("phone", "phone"), ("id_number", "id_number")])


