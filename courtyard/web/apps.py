from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "courtyard.web"
    label = "web"
