from django.apps import AppConfig


class DeliberationConfig(AppConfig):
    name = "courtyard.deliberation"
    label = "deliberation"
