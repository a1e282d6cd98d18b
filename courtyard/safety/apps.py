from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "courtyard.safety"
    label = "safety"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed

        from courtyard.org import home_cache

        from .models import CareRecord, CareVisit

        # The resident home's "visits to you" section, kept per person and per login (ADR 0035): the
        # person visited and the family members who may see the visits.
        home_cache.watch_subject(CareVisit, "person", lambda visit: [visit.record.person_id])
        home_cache.watch_subject(CareVisit, "user", lambda visit: list(visit.record.family.values_list("pk", flat=True)))

        def family_changed(instance, action, pk_set, **_kwargs) -> None:
            if action in ("post_add", "post_remove"):
                home_cache.bump_subject("user", *(pk_set or ()))
            elif action == "pre_clear":
                home_cache.bump_subject("user", *instance.family.values_list("pk", flat=True))

        m2m_changed.connect(family_changed, sender=CareRecord.family.through, weak=False,
                            dispatch_uid="home-subject-care-family")
