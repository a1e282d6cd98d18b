"""Benchmark-only URLs: the normal ones plus a bare Django view as the baseline.

Selected by bench/settings.py (used by bench/run.sh) — never by production settings.
"""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as base_urlpatterns


def bare(request):
    """The cheapest Django response: middleware + URL resolution, no template, no query."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench-bare"), *base_urlpatterns]
