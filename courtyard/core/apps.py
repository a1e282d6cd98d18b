from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "courtyard.core"
    label = "core"

    def ready(self) -> None:
        from . import checks, tables2_speedup  # noqa: F401

        tables2_speedup.install()
