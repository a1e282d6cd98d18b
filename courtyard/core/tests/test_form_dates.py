"""Dates typed into any form stay within sane years (no overflow downstream)."""

from django import forms


def test_every_form_date_is_kept_within_sane_years():
    class Dates(forms.Form):
        day = forms.DateField()
        at = forms.DateTimeField()

    for day, at in (("0001-01-01", "0001-01-01 00:00"), ("9999-12-31", "9999-12-31 23:59"),
                    ("1899-12-31", "2101-01-01 00:00")):
        form = Dates({"day": day, "at": at})
        assert not form.is_valid()
        assert set(form.errors) == {"day", "at"}
    assert Dates({"day": "1945-08-15", "at": "2026-11-30 10:00"}).is_valid()
