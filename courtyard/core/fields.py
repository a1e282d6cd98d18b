"""Model fields for personal data."""

from __future__ import annotations

from django.db import models

from . import pii


class EncryptedTextField(models.TextField):
    """A text column holding AES-GCM ciphertext; Python code sees the plain value.

    It cannot be filtered on: look values up through a blind-index column instead.
    """

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return pii.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return pii.encrypt(value)

    def get_lookup(self, lookup_name):
        if lookup_name not in ("isnull",):
            raise TypeError(f"EncryptedTextField does not support '{lookup_name}' lookups; use the blind index")
        return super().get_lookup(lookup_name)
