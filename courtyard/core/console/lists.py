"""A console list page declared in a few lines (in the shape of NetBox's ObjectListView: a queryset,
a table of columns, a FilterSet, an export):

    class DwellingList(ListPage):
        title = _("Dwellings")
        permission = roles.VIEW_DWELLING
        export_permission = roles.EXPORT_LISTS
        export_name = "dwellings"
        filterset_class = DwellingFilter
        ordering = ("entrance_id", Length("number"), "number", "pk")
        columns = [Column("label", _("Dwelling"), value=..., link=...), Column("area_m2", _("Area (m²)")), ...]

        def get_queryset(self, user):
            return selectors.dwellings_for(user)

    urlpatterns = [path("dwellings/", DwellingList.as_view(), name="dwellings")]

Rows are rendered to HTML here, in plain Python (escaped), not cell by cell through template nodes:
a 50-row page costs about a millisecond. Pages are keyset-paginated (pagination.py), counts are
capped, and `?export=xlsx` writes the whole filtered list (exports.py: in the request up to
EXPORT_SYNC_LIMIT rows, as a background task beyond)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any, ClassVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from courtyard.core import versions
from courtyard.core.access.registry import grant_model
from courtyard.core.permissions import require_perm

from .pagination import paginate
from .widgets import fast_widgets

EMPTY = "—"
PAGING_PARAMS = ("after", "before", "export", "sort", "page")


_CHOICE_LABELS: dict = {}


def _choice_label(obj, name: str, value):
    """The label of a choice field's value, from a per-(model, field, language) table: Django's
    get_FOO_display() rebuilds a hashable dict of the choices on every call."""
    key = (type(obj), name, get_language())
    table = _CHOICE_LABELS.get(key)
    if table is None:
        try:
            field = obj._meta.get_field(name)
        except (AttributeError, FieldDoesNotExist):
            table = {}
        else:
            table = {k: str(v) for k, v in field.flatchoices} if field.choices else {}
        _CHOICE_LABELS[key] = table
    return table.get(value, value) if table else value


def _resolve(record, path: str):
    """record.a.b.c, showing the label of a field with choices; None on a missing link."""
    obj = record
    for part in path.split("."):
        if obj is None:
            return None
        parent, obj = obj, getattr(obj, part)
    if obj in (None, ""):
        return None
    return _choice_label(parent, part, obj) if hasattr(parent, "_meta") and isinstance(obj, str) else obj


class Column:
    """One column: what a cell shows (value), where it links (link), or raw safe HTML (html).

    value: an attribute path ("courtyard.name"; choice fields show their label) or a callable(record).
    export: False keeps the column off the spreadsheet; screen=False keeps it off the page.
    sort: the ordering keys used when the user sorts by this column (the list's total key is appended)."""

    def __init__(self, name: str, label, *, value: str | Callable | None = None, link: Callable | None = None,
                 html: Callable | None = None, default: str = EMPTY, export: bool = True, screen: bool = True,
                 export_value: Callable | None = None, sort: tuple | None = None, numeric: bool = False):
        self.name, self.label, self.default = name, label, default
        self._value = value if value is not None else name
        self.link, self.html, self.export, self.screen = link, html, export, screen
        self._export_value, self.sort, self.numeric = export_value, sort, numeric

    def value(self, record) -> Any:
        return self._value(record) if callable(self._value) else _resolve(record, self._value)

    def text(self, record) -> str:
        v = self.value(record)
        return self.default if v is None or v == "" else str(v)

    def export_value(self, record) -> Any:
        if self._export_value is not None:
            return self._export_value(record)
        v = self.value(record)
        if v is None:
            return ""
        return v if isinstance(v, (int, float, str)) or hasattr(v, "as_tuple") or hasattr(v, "isoformat") else str(v)

    def cell(self, record) -> str:
        if self.html is not None:
            return conditional_escape(self.html(record))
        text = conditional_escape(self.text(record))
        if self.link is not None:
            url = self.link(record)
            if url:
                return f'<a href="{conditional_escape(url)}">{text}</a>'
        return text


def render_rows(columns: Iterable[Column], rows: Iterable) -> SafeString:
    """The table body as one escaped HTML string."""
    cols = [c for c in columns if c.screen]
    out = []
    for record in rows:
        out.append("<tr>")
        for c in cols:
            out.append('<td class="text-end">' if c.numeric else "<td>")
            out.append(c.cell(record))
            out.append("</td>")
        out.append("</tr>")
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped


def _storable(context: dict) -> dict:
    """A table's context as kept in the cache: rendered, without the filter set and the page's rows."""
    return {**context, "filter": None, "page": replace(context["page"], rows=[])}


def query_without(params: QueryDict, *names: str) -> str:
    q = params.copy()
    for n in names:
        q.pop(n, None)
    return q.urlencode()


class ListPage:
    """Subclass, set the attributes, implement get_queryset(user); route with as_view()."""

    title: ClassVar[Any] = ""
    permission: ClassVar[str | None] = None
    export_permission: ClassVar[str | None] = None
    export_name: ClassVar[str | None] = None
    filterset_class: ClassVar[type | None] = None
    columns: ClassVar[list[Column]] = []
    ordering: ClassVar[tuple] = ("-pk",)
    per_page: ClassVar[int] = 50
    distinct: ClassVar[bool] = False
    template: ClassVar[str] = "console/list.html"
    # Models whose rows the page shows (watched by `core.versions`): when set, the filter bar, rows and
    # pager are kept per user and query under their data versions (and the grants'), ADR 0035. Leave
    # empty for a list whose answer has side effects (a reveal, an audited search) or reads more.
    cache_models: ClassVar[tuple] = ()

    # ------------------------------------------------------------------ override points
    def get_queryset(self, user) -> QuerySet:
        raise NotImplementedError

    def filter_data(self, params: QueryDict) -> QueryDict | dict:
        """The filter's input (e.g. a default when nothing was chosen)."""
        return params

    def extra_context(self, request: HttpRequest) -> dict:
        return {}

    def breadcrumbs(self, request: HttpRequest) -> list | None:
        return None

    def get_columns(self, request: HttpRequest) -> list[Column]:
        """The columns shown to this person (e.g. an actions column only for those who may act)."""
        return self.columns

    # ------------------------------------------------------------------ machinery
    def filtered(self, user, params: QueryDict) -> tuple[QuerySet, Any]:
        """The visible, filtered queryset for `user` (also what an export runs, in or out of a request)."""
        qs = self.get_queryset(user)
        filterset = None
        if self.filterset_class is not None:
            filterset = self.filterset_class(self.filter_data(params), queryset=qs, user=user)
            fast_widgets(filterset.form)
            qs = filterset.qs
        if self.distinct:
            qs = qs.distinct()
        return qs, filterset

    def sort_keys(self, params: QueryDict) -> tuple[tuple, str]:
        wanted = params.get("sort", "")
        name = wanted.lstrip("-")
        col = next((c for c in self.columns if c.sort and c.name == name), None)
        if col is None:
            return tuple(self.ordering), ""
        desc = wanted.startswith("-")
        keys = tuple((k[1:] if k.startswith("-") else "-" + k) if desc else k for k in col.sort)
        return keys + ("-pk" if desc else "pk",), wanted

    def may_export(self, user) -> bool:
        return bool(self.export_name) and (self.export_permission is None or user.has_perm(self.export_permission))

    def export_columns(self) -> list[Column]:
        return [c for c in self.columns if c.export]

    def get(self, request: HttpRequest) -> HttpResponse:
        params = request.GET
        if self.export_name and params.get("export") == "xlsx":
            if not self.may_export(request.user):
                raise PermissionDenied
            from .exports import export_response

            return export_response(request, self)
        if self.cache_models:
            context = versions.cached("list", self._cache_key(request), (*self.cache_models, grant_model()),
                                      lambda: _storable(self.table_context(request)))
        else:
            context = self.table_context(request)
        context.update({"title": self.title, "can_export": self.may_export(request.user),
                        "breadcrumbs": self.breadcrumbs(request)})
        context.update(self.extra_context(request))
        return render(request, self.template, context)

    def table_context(self, request: HttpRequest) -> dict:
        """The filter bar, the rows and the pager, rendered: what `cache_models` lets a list keep."""
        params = request.GET
        qs, filterset = self.filtered(request.user, params)
        ordering, sort = self.sort_keys(params)
        page = paginate(qs, ordering, after=params.get("after"), before=params.get("before"), per_page=self.per_page)
        base = query_without(params, *PAGING_PARAMS)
        sorted_base = query_without(params, "after", "before", "export", "page")
        columns = self.get_columns(request)
        headers = [{"label": str(c.label), "numeric": c.numeric,
                    "sort": (("-" if sort == c.name else "") + c.name) if c.sort else None,
                    "sorted": "asc" if sort == c.name else "desc" if sort == "-" + c.name else ""}
                   for c in columns if c.screen]
        # Rendered on its own, without the context processors (it needs the filter and the request only).
        filter_bar = render_to_string("console/_filter.html", {"filter": filterset, "request": request}) \
            if filterset else ""
        return {"filter": filterset, "filter_bar": filter_bar, "page": page, "has_rows": bool(page.rows),
                "headers": headers, "body": render_rows(columns, page.rows), "query": base,
                "sorted_query": sorted_base}

    def _cache_key(self, request: HttpRequest) -> str:
        user = request.user
        params = sorted((k, v) for k, values in request.GET.lists() for v in values if k != "export")
        return "|".join((self.path(), request.path, str(user.pk), str(int(user.is_superuser)), get_language(),
                         str(timezone.localdate()), urlencode(params)))

    @classmethod
    def as_view(cls) -> Callable:
        def view(request, *args, **kwargs):
            return cls().get(request)

        view.__name__ = view.__qualname__ = cls.__name__
        view.__doc__ = cls.__doc__
        view.list_page = cls
        return require_perm(cls.permission)(view) if cls.permission else login_required(view)

    @classmethod
    def path(cls) -> str:
        return f"{cls.__module__}.{cls.__qualname__}"
