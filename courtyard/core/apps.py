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
        # Every date a person types into any form (model forms included) stays within sane years, so no
        # date arithmetic or time-zone conversion downstream can overflow into a 500.
        from django import forms

        from .converters import sane_form_date

        for field_class in (forms.DateField, forms.DateTimeField):
            if sane_form_date not in field_class.default_validators:
                field_class.default_validators = [*field_class.default_validators, sane_form_date]
