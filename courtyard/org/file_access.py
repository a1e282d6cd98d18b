"""Who may fetch files owned by org rows (see courtyard.core.file_access)."""

from courtyard.core import file_access

from . import access


def _sensitive(user, record) -> bool:
    # A signed consent form is as sensitive as the fact it supports.
    return user.has_perm(access.VIEW_SENSITIVE, record.person)


def _roster(user, staged) -> bool:
    # Like the preview page: the person who uploaded it (and only while it is still kept, see roster/).
    return user.has_perm(access.IMPORT_ROSTER) and (user.is_superuser or staged.created_by_id == user.pk)


file_access.register("org.sensitiverecord", can_view=_sensitive)
file_access.register("org.rosterimport", can_view=_roster)
