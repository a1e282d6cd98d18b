from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "courtyard.org"
    label = "org"

    def ready(self) -> None:
        from . import home_cache

        home_cache.connect()
