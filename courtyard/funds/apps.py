from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "courtyard.funds"
    label = "funds"
