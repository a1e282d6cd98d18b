"""Words for this app's audit identifiers (collected by courtyard/core/audit_labels.py)."""

from django.utils.translation import gettext_lazy as _

EVENTS = {
    "participation.points_earn": _("Points earned"),
    "participation.points_redeem": _("Points redeemed"),
    "participation.points_reversal": _("Points entry corrected"),
    "participation.hours_confirmed": _("Volunteer hours confirmed"),
    "participation.rule_saved": _("Points rule published"),
    "participation.item_saved": _("Shop item saved"),
    "participation.item_restocked": _("Shop item restocked"),
    "participation.redeemed": _("Item redeemed"),
    "participation.handed_over": _("Redeemed item handed over"),
    "participation.redemption_cancelled": _("Redemption cancelled and refunded"),
    "participation.rota_created": _("Rota created"),
    "participation.rota_filled": _("Rota filled in turn"),
    "participation.shift_assigned": _("Duty shift assigned"),
    "participation.shift_removed": _("Duty shift removed"),
    "participation.swap_proposed": _("Shift swap offered"),
    "participation.swap_answered": _("Shift swap answered"),
    "participation.checked_in": _("Duty shift checked in"),
}
TERMS = {
    "points": _("points"),
    "balance": _("balance"),
    "stock": _("in stock"),
    "shifts": _("shifts"),
}
