from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "courtyard.org"
    label = "org"

    def ready(self) -> None:
        # Register org's roles, permission codes, grant model and unit reach with the access
        # kernel now, so a broken registration fails at start-up rather than on first use.
        from courtyard.core.access import registry

        registry.load()

        from courtyard.core import versions

        from . import home_cache
        from .models import Courtyard, Dwelling, DwellingLink, Place, RoleGrant, SelfGovernanceUnit

        home_cache.connect()
        # Data versions for what console lists keep (core/versions.py, ADR 0035): the dwelling list's
        # models and the grants (every kept list depends on them).
        versions.watch(Dwelling, DwellingLink, Place, Courtyard, SelfGovernanceUnit, RoleGrant)
