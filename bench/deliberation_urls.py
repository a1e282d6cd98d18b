"""Benchmark-only URLs for bench/deliberation_cast.py (selected by bench/deliberation_settings.py, never
by production settings): the bench URLs plus a bare insert view — the baseline for casting a ballot.

The baseline passes through the same stack as a cast (sessions, CSRF, authentication, messages
middleware; login required; POST answered with a redirect) and does exactly one INSERT into a
bench-only table that the benchmark creates and drops."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponseRedirect
from django.urls import path
from django.views.decorators.http import require_POST

from config.urls_bench import urlpatterns as bench_urlpatterns

TABLE = "bench_dlb_insert"


@login_required
@require_POST
def bare_insert(request):
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} (user_id, choice, at) VALUES (%s, %s, now())",  # noqa: S608
                       [request.user.pk, request.POST.get("choice", "")])
    return HttpResponseRedirect("/bench/bare/")


urlpatterns = [path("bench/dlb-insert/", bare_insert, name="bench-dlb-insert"), *bench_urlpatterns]
