"""The role registry: every role, what it may do and where it may be granted.

The registry is filled once, lazily, from the apps: each app may ship
`courtyard/<app>/access.py`, which registers roles, scope kinds and (for org) the grant model,
and `courtyard/<app>/permissions.py`, which declares PERMS (codes) and GRANTS
({role code: codes}). The kernel imports them by name (`core.extensions.app_modules`), so
`core` imports no app statically. Reading the registry (`ROLES[...]`, `all_perms()`) loads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

# Permission codes owned by core itself (every app may use them).
VIEW_AUDIT = "core.view_audit"
ASSIST = "core.assist_resident"
CONSOLE = "web.use_console"

UNIT = "unit"  # a self-governance unit as a scope kind


@dataclass(frozen=True)
class Role:
    code: str
    label: Any
    group: str  # "staff", "grid", "self_governance", "resident", "partner", "oversight"
    scopes: tuple[str, ...]  # place kinds (or UNIT) the role may be granted on
    perms: frozenset[str]
    description: str = ""
    # Granted only at the top of the tree, only by a platform administrator (district level).
    top_level: bool = False
    # Holds every permission of every other role (for the grant rule), exercised nowhere a
    # duty is bound to an office (signing, paying): see ADR 0007.
    administers: bool = False


@dataclass
class _State:
    loaded: bool = False
    loading: bool = False
    perms: list[str] = field(default_factory=list)
    top_kind: str = "district"  # the place kind at the top of the tree
    grant_model: str | None = None  # "app_label.Model"
    unit_reach: Any = None  # callable(paths: list[str]) -> queryset of unit ids reached by place grants


_state = _State()


class _Registry(dict):
    """A dict that loads the apps' registrations on first read."""

    def _ensure(self) -> None:
        if not _state.loaded and not _state.loading:
            load()

    def __getitem__(self, key):
        self._ensure()
        return super().__getitem__(key)

    def __contains__(self, key):
        self._ensure()
        return super().__contains__(key)

    def __iter__(self):
        self._ensure()
        return super().__iter__()

    def __len__(self):
        self._ensure()
        return super().__len__()

    def get(self, key, default=None):
        self._ensure()
        return super().get(key, default)

    def items(self):
        self._ensure()
        return super().items()

    def values(self):
        self._ensure()
        return super().values()

    def keys(self):
        self._ensure()
        return super().keys()


ROLES: dict[str, Role] = _Registry()


# ---------------------------------------------------------------- registration (called by apps)
def register_perms(*codes: str) -> None:
    for code in codes:
        if code not in _state.perms:
            _state.perms.append(code)


def register_roles(*roles: Role) -> None:
    for role in roles:
        dict.__setitem__(ROLES, role.code, role)


def register_grant_model(label: str, *, top_kind: str) -> None:
    """The model whose rows are role grants (fields user, role, path, unit, start_date, end_date,
    and `scope_kind_lookup` naming the scope's kind), and the place kind at the top of the tree."""
    _state.grant_model = label
    _state.top_kind = top_kind


def register_unit_reach(fn) -> None:
    """`fn(paths)` → a subquery of the ids of the units a place grant on one of `paths` reaches
    (e.g. units with dwellings under those places); `fn(paths, unit_id=n)` → whether unit n is
    among them. Used by models that set `scope_reach_units = True`."""
    _state.unit_reach = fn


def load() -> None:
    """Import every app's `access` then `permissions` module once, and merge GRANTS into ROLES."""
    from courtyard.core.extensions import app_modules

    if _state.loaded or _state.loading:
        return
    _state.loading = True
    try:
        register_perms(VIEW_AUDIT, ASSIST, CONSOLE)
        access_modules = app_modules("access")
        for module in app_modules("permissions"):
            register_perms(*module.PERMS)
            for code, perms in module.GRANTS.items():
                unknown = set(perms) - set(module.PERMS)
                if unknown:
                    raise ValueError(f"{module.__name__} grants undeclared perms {sorted(unknown)}")
                role = dict.__getitem__(ROLES, code)
                dict.__setitem__(ROLES, code, replace(role, perms=role.perms | frozenset(perms)))
        # A role may hold every permission of other roles, whatever app grants them (an app's
        # `access.ROLE_INCLUDES = {"grid_chief": ("grid_worker",)}`): apps added later need not
        # remember to grant the leading role too.
        for module in access_modules:
            for code, bases in getattr(module, "ROLE_INCLUDES", {}).items():
                role = dict.__getitem__(ROLES, code)
                extra = frozenset().union(*(dict.__getitem__(ROLES, b).perms for b in bases))
                dict.__setitem__(ROLES, code, replace(role, perms=role.perms | extra))
        everything = frozenset().union(*(r.perms for r in dict.values(ROLES)))
        for role in list(dict.values(ROLES)):
            if role.administers:
                dict.__setitem__(ROLES, role.code, replace(role, perms=everything))
        _state.loaded = True
    finally:
        _state.loading = False


def all_perms() -> tuple[str, ...]:
    load()
    return tuple(_state.perms)


def role_choices() -> list[tuple[str, Any]]:
    return [(r.code, r.label) for r in ROLES.values()]


def roles_with(perm: str) -> set[str]:
    return {code for code, role in ROLES.items() if perm in role.perms}


def top_kind() -> str:
    load()
    return _state.top_kind


def grant_model():
    from django.apps import apps

    load()
    if _state.grant_model is None:
        raise LookupError("no app registered a grant model with courtyard.core.access")
    return apps.get_model(_state.grant_model)


def unit_reach():
    load()
    return _state.unit_reach
