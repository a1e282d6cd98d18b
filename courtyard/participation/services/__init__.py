"""Every write of the participation app, by subject: points (ledger, rules, shop), rotas."""

from .claims import claim_wish, post_wish, report_done, thank, withdraw_wish
from .events import cancel_signup, check_in_event, create_event, mark_attended, send_reminders, sign_up
from .honours import (
    create_round,
    decide_by_vote,
    may_sign_off,
    nominate,
    set_public_consent,
    sign_off,
    start_review,
    start_vote,
    suggestions,
)
from .memory import publish_memory, record_memory
from .offsets import cancel_offset, use_points_on_bill
from .offsets import offer as offset_offer
from .partners import record_contribution
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
    rotate_token,
    warn_uncovered,
)
from .teams import advance_team, join_team, list_talent, record_training, start_team

__all__ = ["create_round", "decide_by_vote", "may_sign_off", "nominate", "set_public_consent", "sign_off",
           "start_review", "start_vote", "suggestions", "cancel_offset", "use_points_on_bill", "offset_offer",
           "publish_memory", "record_memory", "advance_team", "join_team", "list_talent", "record_training", "start_team", "answer_swap", "claim_wish", "post_wish", "report_done", "thank", "withdraw_wish", "cancel_signup", "check_in_event", "create_event", "mark_attended", "send_reminders",
           "sign_up", "append", "assign_shift", "cancel_redemption", "check_in", "confirm_hours", "create_rota",
           "credit", "fill_rota", "hand_over", "points_account", "propose_swap", "record_contribution", "redeem", "remove_shift", "rotate_token", "restock",
           "reverse_entry", "save_item", "save_rule", "warn_uncovered"]
