from django.conf import settings
from django.core.checks import Error, register

from . import pii


@register(deploy=True)
def check_pii_keys(app_configs, **kwargs):
    errors = []
    for name, value in (("COURTYARD_FIELD_KEY", settings.FIELD_ENCRYPTION_KEY), ("COURTYARD_INDEX_KEY", settings.BLIND_INDEX_KEY)):
        try:
            pii._key(value, name)
        except Exception as exc:  # noqa: BLE001
            errors.append(Error(str(exc), id="courtyard.E001"))
    if settings.FIELD_ENCRYPTION_KEY == settings.BLIND_INDEX_KEY:
        errors.append(Error("COURTYARD_FIELD_KEY and COURTYARD_INDEX_KEY must differ", id="courtyard.E002"))
    return errors
