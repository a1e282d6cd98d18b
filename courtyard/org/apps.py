from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "courtyard.org"
    label = "org"

    def ready(self) -> None:
        # Register org's roles, permission codes, grant model and unit reach with the access
        # kernel now, so a broken registration fails at start-up rather than on first use.
        from courtyard.core.access import registry

        registry.load()

        from . import home_cache

        home_cache.connect()
