"""The console toolkit every app uses: list pages (lists.py), service-backed forms (forms.py),
keyset pagination (pagination.py), natural order of names (natural.py), exports (exports.py), and
one set of templates (core/templates/console/). See docs/adr/0014-console-toolkit.md."""

from .forms import Saved, apply_errors, form_page, messages_from, save, service_form
from .lists import Column, ListPage, render_rows
from .natural import NaturalKey, natural_key, natural_sorted
from .pagination import Page, paginate

__all__ = ["Column", "ListPage", "NaturalKey", "Page", "Saved", "apply_errors", "form_page", "messages_from",
           "natural_key", "natural_sorted", "paginate", "render_rows", "save", "service_form"]
