from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "courtyard.org"
    label = "org"
