"""Every write of the participation app, by subject: points (ledger, rules, shop), rotas."""

from .points import (
    append,
    cancel_redemption,
    confirm_hours,
    credit,
    hand_over,
    points_account,
    redeem,
    restock,
    reverse_entry,
    save_item,
    save_rule,
)
from .rotas import (
    answer_swap,
    assign_shift,
    check_in,
    create_rota,
    fill_rota,
    propose_swap,
    remove_shift,
    warn_uncovered,
)

__all__ = ["answer_swap", "append", "assign_shift", "cancel_redemption", "check_in", "confirm_hours", "create_rota",
           "credit", "fill_rota", "hand_over", "points_account", "propose_swap", "redeem", "remove_shift", "restock",
           "reverse_entry", "save_item", "save_rule", "warn_uncovered"]
