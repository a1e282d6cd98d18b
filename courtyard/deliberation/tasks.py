"""Background jobs of deliberation (django-tasks; `manage.py db_worker` runs them).
Schedule `open_scheduled_votes` every few minutes (cron: `manage.py deliberation_sweep`)."""

from django_tasks import task


@task()
def open_scheduled_votes() -> list[int]:
    from .schedule import open_due_votes

    return open_due_votes()
