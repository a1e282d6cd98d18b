"""Form input and errors in plain Chinese (issue 9)."""

from __future__ import annotations

import pytest
from django import forms
from django.utils import translation

from courtyard.org.choices import SensitiveCategory
from courtyard.org.forms import SensitiveForm


@pytest.mark.parametrize("typed", ["红", "红色", "red", " Red "])
def test_care_level_can_be_typed_as_staff_say_it(typed):
    form = SensitiveForm(data={"category": SensitiveCategory.CARE_LEVEL, "value": typed, "legal_basis": "consent",
                               "basis_note": "书面同意"})
    form.is_valid()
    assert "value" not in form.errors
    assert form.cleaned_data["value"] == "red"


def test_unknown_care_level_gets_a_chinese_message():
    form = SensitiveForm(data={"category": SensitiveCategory.CARE_LEVEL, "value": "紫"})
    with translation.override("zh-hans"):
        assert form.errors["value"] == ["请填写红、橙、黄、蓝、绿中的一种。"]


def test_djangos_stock_messages_read_naturally():
    class F(forms.Form):
        name = forms.CharField(max_length=3)
        n = forms.IntegerField(max_value=5)

    with translation.override("zh-hans"):
        errors = F({"name": "abcdef", "n": "9"}).errors
        assert errors["name"] == ["最多只能填 3 个字（现在 6 个）。"]
        assert errors["n"] == ["不能大于 5。"]
        assert F({}).errors["name"] == ["此项必填。"]
