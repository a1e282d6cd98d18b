"""Console pages for courtyard site plans: upload a plan, serve its image (only to people who may
see the courtyard), place a building on it (the request map posts here)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from courtyard.core.audit import Actor
from courtyard.core.permissions import require_perm

from . import access, siteplans
from .choices import PlaceKind
from .models import Place, SitePlan
from .siteplans import courtyards_for


class SitePlanForm(forms.Form):
    image = forms.FileField(label=gettext_lazy("Site plan image (JPEG, PNG or WebP)"),
                            help_text=gettext_lazy("A scan or photo of the courtyard's general plan, north up."),
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))


@require_perm(access.CHANGE_REGISTRY)
def site_plan_upload(request, pk: int):
    courtyard = get_object_or_404(courtyards_for(request.user).select_related("site_plan"), pk=pk)
    if not request.user.has_perm(access.CHANGE_REGISTRY, courtyard):
        raise PermissionDenied
    form = SitePlanForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                siteplans.upload_site_plan(by=Actor.from_request(request), courtyard=courtyard,
                                           upload=form.cleaned_data["image"])
            except ValidationError as exc:
                form.add_error("image", exc.messages[0])
            else:
                messages.success(request, _("The site plan is saved. Click a building, then its place on the plan."))
                return redirect(f"{reverse('servicedesk:map')}?courtyard={courtyard.pk}")
        status = 400
    plan = getattr(courtyard, "site_plan", None)
    return render(request, "org/site_plan_upload.html", {
        "courtyard": courtyard, "form": form, "plan": plan,
        "breadcrumbs": [{"label": _("Request map"), "url": f"{reverse('servicedesk:map')}?courtyard={courtyard.pk}"},
                        {"label": courtyard.name}]}, status=status)


@require_perm(access.VIEW_PLACE)
def site_plan_image(request, pk: int):
    plan = SitePlan.objects.select_related("image").filter(
        courtyard__in=courtyards_for(request.user), courtyard_id=pk).first()
    if plan is None:
        raise Http404(_("No site plan."))
    response = FileResponse(plan.image.file.open("rb"), content_type=plan.image.mime_type)
    # Private to the logged-in person; the URL changes with the plan (?v=<attachment id>).
    response["Cache-Control"] = "private, max-age=86400"
    return response


@require_POST
@require_perm(access.CHANGE_REGISTRY)
def building_place(request, pk: int):
    """POST x, y (plan pixels from the top-left), or clear=1: JSON {ok, x, y} or {error} with 400/403."""
    building = Place.objects.filter(pk=pk, kind=PlaceKind.BUILDING).first()
    if building is None or not Place.objects.visible_to(request.user).filter(pk=pk).exists():
        return JsonResponse({"error": _("No such building.")}, status=404)
    try:
        if request.POST.get("clear") == "1":
            x = y = None
        else:
            x, y = float(request.POST.get("x", "")), float(request.POST.get("y", ""))
    except ValueError:
        return JsonResponse({"error": _("Click on the plan to choose the place.")}, status=400)
    try:
        building = siteplans.place_building(by=Actor.from_request(request), building=building, x=x, y=y)
    except PermissionDenied as exc:
        return JsonResponse({"error": str(exc) or _("You may not do this.")}, status=403)
    except ValidationError as exc:
        return JsonResponse({"error": exc.messages[0]}, status=400)
    return JsonResponse({"ok": True, "id": building.pk, "name": building.name, "x": building.map_x,
                         "y": building.map_y})
