"""Background jobs of participation (django-tasks; `manage.py db_worker` runs them). Schedule
`warn_uncovered` once a day (cron: `manage.py participation_warn_uncovered`)."""

from django_tasks import task

from . import services


@task()
def warn_uncovered() -> int:
    return services.warn_uncovered()
