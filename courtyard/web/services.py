"""Writes made from the resident shell: preferences and login records."""

from django.db import transaction

from courtyard.core.audit import Actor, record


@transaction.atomic
def update_preferences(*, by: Actor, user, elderly_mode: bool | None = None, language: str | None = None) -> None:
    changes = {}
    if elderly_mode is not None and elderly_mode != user.elderly_mode:
        changes["elderly_mode"] = [user.elderly_mode, elderly_mode]
        user.elderly_mode = elderly_mode
    if language is not None and language != user.language:
        changes["language"] = [user.language, language]
        user.language = language
    if changes:
        user.save(update_fields=["elderly_mode", "language"])
        record(by, "core.user.preferences", user, changes=changes)


def record_login(*, by: Actor) -> None:
    record(by, "core.user.login", by.user)
