"""Words for this app's audit identifiers (collected by courtyard/core/audit_labels.py)."""

from collections.abc import Iterator, Mapping

from django.utils.translation import gettext_lazy as _

EVENTS = {
    "insight.case.open": _("Warning case opened"),
    "insight.case.raise": _("Warning case raised to a listed case"),
    "insight.case.action": _("Action logged on a warning case"),
    "insight.case.assign": _("Warning case owner or deadline set"),
    "insight.case.close": _("Warning case closed"),
    "insight.report.request": _("Evaluation report requested"),
}


class _Terms(Mapping):
    """Indicator codes (the values of a case's `code`) in words, read from the catalogue when shown."""

    FIXED = {"action_note": _("what was done")}

    def _all(self) -> dict:
        from courtyard.core.indicators import catalogue

        return {**self.FIXED, **{code: ind.label for code, ind in catalogue().items()}}

    def __getitem__(self, key):
        return self._all()[key]

    def __iter__(self) -> Iterator:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


TERMS = _Terms()
