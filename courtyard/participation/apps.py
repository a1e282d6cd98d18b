from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "courtyard.participation"
    label = "participation"
