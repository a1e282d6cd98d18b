"""Who may fetch files owned by deliberation rows (see courtyard.core.file_access)."""

from courtyard.core import file_access

from . import permissions as p


def _topic(user, topic) -> bool:
    from . import selectors

    return selectors.topics_for_resident(user).filter(pk=topic.pk).exists()


def _vote(user, vote) -> bool:
    # Files owned by a vote are proxy authorisations: staff who key or manage ballots only, never voters.
    from .rules import allowed

    return allowed(user, p.KEY_BALLOTS, vote) or allowed(user, p.MANAGE_VOTE, vote)


file_access.register("deliberation.topic", can_view=_topic)
file_access.register("deliberation.vote", can_view=_vote)
