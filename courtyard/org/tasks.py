"""Background jobs of the org app (django-tasks; `manage.py db_worker` runs them).
Schedule `sweep_roster_imports` at least hourly (cron: `manage.py roster_sweep`)."""

from django_tasks import task


@task()
def sweep_roster_imports() -> dict:
    from . import roster_retention

    return roster_retention.sweep()
