from django.apps import AppConfig
from django.urls import register_converter

from .converters import IdConverter

# Registered at import, before any URLconf is loaded: every app route uses <id:pk> (see converters.py).
register_converter(IdConverter, "id")


class CoreConfig(AppConfig):
    name = "courtyard.core"
    label = "core"

    def ready(self) -> None:
        # Each app declares who may fetch the files its rows own (courtyard/<app>/file_access.py).
        from django.utils.module_loading import autodiscover_modules

        from . import checks  # noqa: F401
        from .console import natural  # noqa: F401  (registers natural_key on SQLite connections)

        autodiscover_modules("file_access")
