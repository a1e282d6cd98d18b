"""Two dispatchers at once: exactly one assignment wins (PostgreSQL, real threads)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from courtyard.core.audit import Actor
from courtyard.servicedesk import services
from courtyard.servicedesk.models import Request, RequestEvent


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_cannot_both_assign(sd, file_one):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    for _round in range(5):
        req = file_one()
        stale = [Request.objects.get(pk=req.pk) for _ in range(2)]  # both pages loaded before either acts
        targets = [f"user:{sd.mg_worker.pk}", f"partner:{sd.vendor.pk}"]
        barrier = threading.Barrier(2)
        results: list[str] = []

        def act(i, barrier=barrier, stale=stale, targets=targets, results=results):
            from django.db import connections

            try:
                barrier.wait()
                services.dispatch(by=Actor(user=sd.staff), request=stale[i], to=targets[i], reason="race")
                results.append("ok")
            except ValidationError as exc:
                results.append(exc.error_list[0].code or "invalid")
            finally:
                connections.close_all()

        threads = [threading.Thread(target=act, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(results) == ["conflict", "ok"]
        assert RequestEvent.objects.filter(request=req, action="dispatch").count() == 1
