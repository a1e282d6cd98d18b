"""Insight's writes: snapshots (idempotent), warning cases and their steps, reports."""

from .cases import add_action, close_case, open_cases_for, set_owner
from .snapshots import take_snapshots

__all__ = ["add_action", "close_case", "open_cases_for", "set_owner", "take_snapshots"]
