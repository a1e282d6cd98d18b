"""Background jobs of the safety app (django-tasks; `manage.py db_worker` runs them). Schedule
`daily` early each morning and `sweep` every few minutes (cron: `manage.py safety_sweep`)."""

from django_tasks import task

from . import services


@task()
def daily() -> dict:
    """Generates today's patrol tasks (idempotent)."""
    return {"tasks": services.generate_tasks()}


@task()
def sweep() -> dict:
    """Escalates overdue hazards, closes missed rounds, raises lapsed-visit warnings."""
    out = services.sweep_overdue()
    out["missed_rounds"] = services.close_rounds()
    out.update(services.sweep_lapses())
    return out
