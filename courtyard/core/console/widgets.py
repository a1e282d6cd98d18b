"""Plain-Python rendering of a filter bar's widgets.

Django renders every <option> of a <select> through the form template engine (one template per
option); a filter bar with a 38-courtyard select cost ~8 ms of CPU, a third of a list page. For the
simple widgets of a filter bar (text-like inputs, single selects, checkboxes) the same HTML is built
here with escaping; other widgets keep Django's renderer."""

from __future__ import annotations

from functools import cache

from django import forms
from django.forms.models import ModelChoiceField, ModelChoiceIterator
from django.forms.utils import flatatt
from django.forms.widgets import Input
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

BLANK = "---------"


def _attrs(widget, name, attrs) -> dict:
    final = {**widget.attrs, **(attrs or {})}
    final["name"] = name
    return final


def _render_select(widget, name, value, attrs=None, renderer=None):
    final = _attrs(widget, name, attrs)
    selected = {str(v) for v in widget.format_value(value)}
    parts = [format_html("<select{}>", flatatt(final))]
    for option_value, option_label in widget.choices:
        if isinstance(option_label, (list, tuple)):  # optgroup: leave to Django
            return widget._django_render(name, value, attrs, renderer)
        ov = "" if option_value is None else str(option_value)
        if ov == "" and str(option_label) == BLANK:  # Django's "---------": a filter bar says "all"
            option_label = _("All")
        parts.append(format_html('<option value="{}"{}>{}</option>', ov,
                                 mark_safe(" selected") if ov in selected else "", option_label))
    parts.append("</select>")
    return mark_safe("".join(parts))  # noqa: S308 - built from format_html pieces


def _render_input(widget, name, value, attrs=None, renderer=None):
    final = _attrs(widget, name, attrs)
    final["type"] = widget.input_type
    formatted = widget.format_value(value)
    if formatted is not None and formatted != "":
        final["value"] = formatted
    return format_html("<input{}>", flatatt(final))


def _render_checkbox(widget, name, value, attrs=None, renderer=None):
    final = _attrs(widget, name, attrs)
    final["type"] = "checkbox"
    if widget.check_test(value):
        final["checked"] = True
    return format_html("<input{}>", flatatt(final))


class ListChoiceIterator(ModelChoiceIterator):
    """A filter bar's short choice list (courtyards, units, grids) in one plain query: Django's own
    iterator calls `.iterator()`, which on PostgreSQL opens a server-side cursor — three round
    trips (DECLARE, FETCH, CLOSE) per select on every list page."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


@cache
def _plain_iterator(base: type) -> type:
    """`base` (e.g. django-filter's iterator, which adds a "none" choice) reading with one query."""
    if base is ModelChoiceIterator:
        return ListChoiceIterator
    return type(f"List{base.__name__}", (base, ListChoiceIterator), {})


def fast_widgets(form) -> None:
    """Swap the renderer of each simple widget of `form` (in place, this instance only)."""
    for field in form.fields.values():
        if isinstance(field, ModelChoiceField) and issubclass(field.iterator, ModelChoiceIterator):
            field.iterator = _plain_iterator(field.iterator)
            field.widget.choices = field.choices
        w = field.widget
        if isinstance(w, forms.SelectMultiple) or getattr(w, "allow_multiple_selected", False):
            continue
        if isinstance(w, forms.Select):
            impl = _render_select
        elif isinstance(w, forms.CheckboxInput):
            impl = _render_checkbox
        elif isinstance(w, Input) and not isinstance(w, forms.FileInput):
            impl = _render_input
        else:
            continue
        w._django_render = w.render
        w.render = impl.__get__(w)
