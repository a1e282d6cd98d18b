from django.apps import AppConfig


class DeliberationConfig(AppConfig):
    name = "courtyard.deliberation"
    label = "deliberation"

    def ready(self) -> None:
        # The resident home caches the unit's current notices and the votes open for a person.
        from courtyard.org import home_cache

        from .models import Notice, Vote

        home_cache.watch(Notice, Vote)
