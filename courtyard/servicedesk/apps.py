from django.apps import AppConfig


class ServicedeskConfig(AppConfig):
    name = "courtyard.servicedesk"
    label = "servicedesk"
