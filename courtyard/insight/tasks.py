"""Background jobs of insight (django-tasks; `manage.py db_worker` runs them). Schedule
`refresh_snapshots` nightly (cron: `manage.py insight_snapshots`); reports are enqueued on request."""

from __future__ import annotations

from django_tasks import task


@task()
def refresh_snapshots() -> dict:
    from .services.jobs import nightly

    return nightly()


@task()
def build_report(report_id: int) -> str:
    from .services.reports import build

    return build(report_id)
