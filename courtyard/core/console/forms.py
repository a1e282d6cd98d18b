"""The service-backed form view of the console: bind the form, call one service, put the service's
ValidationError on the field it concerns, say what happened, redirect.

    return service_form(request, form, title=_("New meeting"), back_url=MEETINGS,
                        write=lambda d: services.create_meeting(by=..., **d),
                        success=_("The meeting was created."), next=lambda meeting: meeting.get_console_url())

or, where a view needs its own steps, the parts: `save(form, write)` and `form_page(...)`.

Which field an error concerns, in this order: the key of a dict-shaped ValidationError; the error's
params["field"]; its code looked up in `fields` (code → field name); its code when it names a field
of the form. Anything else is shown above the form."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _


def field_of(error: ValidationError, form, fields: Mapping[str, str] | None = None) -> str | None:
    params = error.params if isinstance(getattr(error, "params", None), dict) else {}
    for candidate in (params.get("field"), (fields or {}).get(error.code or ""), error.code):
        if candidate and candidate in form.fields:
            return candidate
    return None


def apply_errors(form, exc: ValidationError, fields: Mapping[str, str] | None = None) -> None:
    """Adds `exc` to `form`, each message on the field it concerns (see the module docstring)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            for error in errors:
                target = name if name in form.fields else field_of(error, form, fields)
                form.add_error(target, error)
        return
    for error in exc.error_list:
        form.add_error(field_of(error, form, fields), error)


def messages_from(request, exc: Exception) -> None:
    """A service error shown as flash messages (for buttons that post without a form page)."""
    for m in getattr(exc, "messages", None) or [str(exc)]:
        messages.error(request, m)


class Saved:
    """What save() returns: true when the write went through; `.result` is the service's return value."""

    def __init__(self, ok: bool, result: Any = None):
        self.ok, self.result = ok, result

    def __bool__(self) -> bool:
        return self.ok


def save(form, write: Callable[[], Any], *, fields: Mapping[str, str] | None = None) -> Saved:
    """Runs the service call in a transaction; a ValidationError lands on the form and nothing is kept.
    A refusal by the service's rule (PermissionDenied with a message) shows on the form too."""
    try:
        with transaction.atomic():
            result = write()
    except ValidationError as exc:
        apply_errors(form, exc, fields)
        return Saved(False)
    except PermissionDenied as exc:
        form.add_error(None, str(exc) or _("You may not do this."))
        return Saved(False)
    return Saved(True, result)


def form_page(request, form, *, title, back_url: str, crumbs: list | None = None, intro: str = "",
              submit: str = "", aside: Mapping | None = None, status: int | None = None,
              template: str = "console/form.html", extra: Mapping | None = None):
    """The shared console form page; 400 when a posted form comes back with errors."""
    if status is None:
        status = 400 if request.method == "POST" and (form.is_bound and form.errors) else 200
    context = {
        "form": form, "title": title, "back_url": back_url, "intro": intro, "aside": aside,
        "submit": submit or _("Save"), "multipart": form.is_multipart(),
        "breadcrumbs": [*crumbs, {"label": title}] if crumbs else None,
    }
    context.update(extra or {})
    return render(request, template, context, status=status)


def service_form(request, form, *, write: Callable[[dict], Any], next: str | Callable[[Any], str],
                 success: str | Callable[[Any], str] | None = None, fields: Mapping[str, str] | None = None,
                 **page) -> Any:
    """GET: the empty form. POST: validate, write(cleaned_data) through save(), message, redirect."""
    if request.method == "POST" and form.is_valid():
        saved = save(form, lambda: write(form.cleaned_data), fields=fields)
        if saved:
            text = success(saved.result) if callable(success) else success
            if text:
                messages.success(request, text)
            return redirect(next(saved.result) if callable(next) else next)
    return form_page(request, form, **page)


__all__ = ["NON_FIELD_ERRORS", "Saved", "apply_errors", "field_of", "form_page", "messages_from", "save",
           "service_form"]
