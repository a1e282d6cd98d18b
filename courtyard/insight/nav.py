from django.utils.translation import gettext_lazy as _

from . import permissions as p

# Heading of this app's group in the console menu.
CONSOLE_SECTION = _("Results and indicators")

CONSOLE_NAV = [
    ("insight:dashboard", _("Results dashboard"), p.VIEW),
    ("insight:cases", _("Warning cases"), p.VIEW),
    ("insight:indicators", _("Indicator catalogue"), p.VIEW),
    ("insight:reports", _("Evaluation reports"), p.REPORTS),
]


def _results(unit) -> dict:
    from .views import public_results_context

    return public_results_context(unit)


PUBLIC_SECTIONS = [("results", "insight/public_results.html", _results)]
