"""Background jobs of participation (django-tasks; `manage.py db_worker` runs them). Schedule
`warn_uncovered` once a day (cron: `manage.py participation_warn_uncovered`) and `send_reminders`
every hour (cron: `manage.py participation_warn_uncovered --reminders`)."""

from django_tasks import task

from . import services


@task()
def warn_uncovered() -> int:
    return services.warn_uncovered()


@task()
def send_reminders() -> int:
    return services.send_reminders()
