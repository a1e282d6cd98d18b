"""The demo contract (Open311 key line, requests in every state) and query budgets of the console."""


from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courtyard.servicedesk.models import Request


def check_demo_prints_the_open311_key_and_fills_every_state(output: str):
    """Called by org's demo test after its one load of the small demo (loading is the slow part)."""
    from courtyard.servicedesk.services import key_community

    line = next(li for li in output.splitlines() if li.startswith("Open311 API key: "))
    key = line.split(": ", 1)[1].strip()
    assert key_community(key).name
    states = set(Request.objects.values_list("state", flat=True))
    assert {"submitted", "accepted", "dispatched", "in_progress", "waiting", "resolved", "closed", "reopened",
            "merged", "referred", "confirmed"} <= states
    assert Request.objects.filter(map_x__isnull=False).exists()


def test_queue_and_detail_queries_are_bounded(sd, file_one, login):
    file_one()
    c = login(sd.staff)
    url = reverse("servicedesk:queue")
    c.get(url)
    with CaptureQueriesContext(connection) as few:
        c.get(url)
    for i in range(15):
        file_one(title=f"more {i}", place=sd.t.entrance3 if i % 2 else sd.t.entrance1)
    with CaptureQueriesContext(connection) as many:
        c.get(url)
    assert len(many) <= len(few) + 1, [q["sql"][:120] for q in many.captured_queries]
