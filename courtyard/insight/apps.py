from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "courtyard.insight"
    label = "insight"
