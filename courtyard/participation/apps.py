from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "courtyard.participation"
    label = "participation"

    def ready(self) -> None:
        from courtyard.org import home_cache

        from .models import PointsEntry, Shift

        # The resident home's "my points" section (balance, next duty), kept per person (ADR 0035).
        home_cache.watch_subject(PointsEntry, "person", lambda entry: [entry.account.person_id])
        home_cache.watch_subject(Shift, "person", lambda shift: [shift.person_id])
