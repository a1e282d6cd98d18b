"""Background jobs of the projects app (django-tasks; `manage.py db_worker` runs them). Schedule
`file_preventive_orders` daily (cron: `manage.py projects_sweep`)."""

from django_tasks import task

from . import services


@task()
def file_preventive_orders() -> dict:
    return services.file_preventive_orders()
