"""Helpers shared by the projects views."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from courtyard.org.models import SelfGovernanceUnit

from .. import permissions as p


def managed_units(user):
    return SelfGovernanceUnit.objects.visible_to(user, p.MANAGE).order_by("name")


def crumbs(*extra):
    return [{"label": _("Project library"), "url": reverse("projects:library")}, *extra]
