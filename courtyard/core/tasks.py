"""Background jobs of the core app (django-tasks; `manage.py db_worker` runs them in production)."""

from __future__ import annotations

from django_tasks import task


@task()
def send_delivery(delivery_id: int) -> str:
    """Send one notification delivery (email, SMS or WeChat); returns the resulting status."""
    from .notify import deliver

    return deliver(delivery_id)
