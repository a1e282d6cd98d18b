from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from courtyard.core.access import ROLES, UNIT, Target, current_grants, grant_refusal, role_choices
from courtyard.core.console.natural import sort_choices, tree_sorted
from courtyard.core.models import User
from courtyard.org.access import MANAGE_ROLES

from .choices import (
    AreaSource,
    CareLevel,
    Gender,
    LegalBasis,
    PersonTag,
    PlaceKind,
    ResidenceStatus,
    SensitiveCategory,
)
from .models import Place, SelfGovernanceUnit

_DEPTH = {PlaceKind.DISTRICT: 0, PlaceKind.SUBDISTRICT: 1, PlaceKind.COMMUNITY: 2, UNIT: 3, PlaceKind.GRID: 3,
          PlaceKind.MICROGRID: 4, PlaceKind.BUILDING: 5}


def offered_roles(user) -> tuple[list[str], set[str]]:
    """The roles (and the scope kinds) the console offers a granter: those the access kernel's grant
    rule allows on some node at or below one of the granter's role-managing grants. The service
    checks the exact scope again; this only keeps the choices honest."""
    grants = [g for g in current_grants(user) if g.role in ROLES and MANAGE_ROLES in ROLES[g.role].perms]
    roles, kinds = [], set()
    for code, role in ROLES.items():
        for g in grants:
            for kind in role.scopes:
                if _DEPTH.get(kind, 9) < _DEPTH.get(g.kind, 9) or (g.kind == UNIT and kind != UNIT):
                    continue
                target = Target(kind, g.path, g.unit_id if kind == UNIT else None)
                if grant_refusal(granter_grants=current_grants(user), granter_id=user.pk, grantee_id=-1, role=code,
                                 target=target) is None:
                    kinds.add(kind)
                    if code not in roles:
                        roles.append(code)
    return roles, kinds


class GrantForm(forms.Form):
    phone = forms.CharField(label=_("Mobile number of the account"), max_length=20)
    role = forms.ChoiceField(label=_("Role"), choices=role_choices)
    place = forms.ModelChoiceField(label=_("Place"), queryset=Place.objects.none(), required=False,
                                   help_text=_("A district, subdistrict, community, grid, micro-grid or building."))
    unit = forms.ModelChoiceField(label=_("or self-governance unit"), queryset=SelfGovernanceUnit.objects.none(),
                                  required=False)
    title = forms.CharField(label=_("Title (optional)"), max_length=50, required=False)
    end_date = forms.DateField(label=_("Until (optional)"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        roles, kinds = offered_roles(user)
        self.fields["role"].choices = [(code, ROLES[code].label) for code in roles]
        places = Place.objects.visible_to(user, MANAGE_ROLES).filter(kind__in=sorted(k for k in kinds if k != UNIT))
        self.fields["place"].queryset = places.order_by("path")
        self.fields["place"].label_from_instance = lambda p: f"{'— ' * p.depth}{p.name} ({p.get_kind_display()})"
        sort_choices(self.fields["place"], tree_sorted)
        units = SelfGovernanceUnit.objects.visible_to(user, MANAGE_ROLES)
        self.fields["unit"].queryset = units if UNIT in kinds else units.none()
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




def _style(form: forms.Form) -> None:
    for f in form.fields.values():
        if isinstance(f.widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
            continue
        f.widget.attrs.setdefault("class", "form-select" if isinstance(f.widget, forms.Select) else "form-control")


class PersonForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", "—"), *Gender.choices], required=False)
    birth_year = forms.IntegerField(label=_("Year of birth"), min_value=1900, max_value=2100, required=False)
    phone = forms.CharField(label=_("Mobile number"), max_length=20, required=False,
                            help_text=_("Leave as it is to keep the stored number; clear it to remove it."))
    residence_status = forms.ChoiceField(label=_("Residence status"), choices=ResidenceStatus.choices)
    tags = forms.MultipleChoiceField(label=_("Tags"), choices=PersonTag.choices, required=False,
                                     widget=forms.CheckboxSelectMultiple)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class AreaForm(forms.Form):
    source = forms.ChoiceField(label=_("Source"), choices=AreaSource.choices)
    area_m2 = forms.CharField(label=_("Exclusive area (m²)"), max_length=20)
    reference = forms.CharField(label=_("Document number"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class SensitiveForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=SensitiveCategory.choices)
    value = forms.CharField(label=_("Value"), max_length=50,
                            help_text=_("For a care level: red, orange, yellow, blue or green."))
    detail = forms.CharField(label=_("Detail"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    legal_basis = forms.ChoiceField(label=_("Legal basis"), choices=LegalBasis.choices)
    basis_note = forms.CharField(label=_("Basis details"), max_length=200,
                                 help_text=_("E.g. the law or the consent form it rests on."))
    consent_document = forms.FileField(label=_("Signed consent form (photo or PDF)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    # Staff type the colour as they say it (红 / 红色) or as the code (red).
    CARE_WORDS = {"红": "red", "橙": "orange", "黄": "yellow", "蓝": "blue", "绿": "green"}

    def clean(self):
        data = super().clean()
        if data.get("category") == SensitiveCategory.CARE_LEVEL:
            value = (data.get("value") or "").strip().lower().removesuffix("色")
            value = self.CARE_WORDS.get(value, value)
            if value in CareLevel.values:
                data["value"] = value
            else:
                self.add_error("value", _("Choose one of: red, orange, yellow, blue, green."))
        return data
