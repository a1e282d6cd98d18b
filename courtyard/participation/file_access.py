"""Who may fetch photos attached to wishes (see courtyard.core.file_access): the person who posted it, the
person who claimed it, and staff who see the wish in their scope."""

from courtyard.core import file_access

from . import permissions as p


def _wish(user, wish) -> bool:
    from .models import Wish

    person_id = getattr(getattr(user, "person", None), "pk", None)
    if person_id is not None and person_id in (wish.posted_by_id, wish.claimed_by_id):
        return True
    return Wish.objects.visible_to(user, p.VIEW).filter(pk=wish.pk).exists()


file_access.register("participation.wish", can_view=_wish)


def _memory(user, item) -> bool:
    from .models import MemoryItem

    return MemoryItem.objects.visible_to(user, p.VIEW).filter(pk=item.pk).exists()


def _may_publish_memory(user, item) -> bool:
    return user is None or user.has_perm("participation.manage_teams_on", item)


# Memory photos are public while their item is published (publish_memory publishes and withdraws them).
file_access.register("participation.memoryitem", can_view=_memory, publishable=True, can_publish=_may_publish_memory)
