from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "courtyard.core"
    label = "core"

    def ready(self) -> None:
        from . import checks  # noqa: F401
        from .console import natural  # noqa: F401  (registers natural_key on SQLite connections)
