"""Background jobs of the service desk (django-tasks; `manage.py db_worker` runs them).
Schedule `sweep_overdue` every few minutes (cron: `manage.py servicedesk_sweep`)."""

from django_tasks import task

from . import services


@task()
def sweep_overdue() -> dict:
    return services.sweep_overdue()
