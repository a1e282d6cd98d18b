from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "courtyard.safety"
    label = "safety"
