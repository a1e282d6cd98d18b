"""Throttles for the API."""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import UserRateThrottle


class RevealRateThrottle(UserRateThrottle):
    """Full personal numbers per user per minute (COURTYARD_REVEAL_PER_MINUTE)."""

    scope = "reveal"

    def get_rate(self) -> str:
        return f"{settings.COURTYARD_REVEAL_PER_MINUTE}/min"
