"""django-rules permissions. Each permission is true when a current grant carrying it covers the object."""

import rules

from courtyard.core.access import all_perms, in_scope


def _scoped(perm: str):
    @rules.predicate(name=f"in_scope[{perm}]")
    def predicate(user, obj=None) -> bool:
        return in_scope(user, perm, obj)

    return predicate


for _perm in all_perms():
    rules.add_perm(_perm, _scoped(_perm))
