"""Console pages of the rights-and-duties list (ORG-10): the lists per unit, one version with its items,
adding items to a draft, adopting it (publishing), and tracking whether each duty is carried out."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courtyard.core.audit import Actor
from courtyard.core.console import apply_errors, messages_from
from courtyard.core.permissions import require_perm

from . import access, duties
from .models import DutyItem, DutyKind, DutyList, DutyParty, SelfGovernanceUnit


class ItemForm(forms.Form):
    party = forms.ChoiceField(label=gettext_lazy("Party"), choices=DutyParty.choices)
    kind = forms.ChoiceField(label=gettext_lazy("Right or duty"), choices=DutyKind.choices)
    text = forms.CharField(label=gettext_lazy("Text"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.widget.attrs["class"] = "form-select" if isinstance(f.widget, forms.Select) else "form-control"


@require_perm(access.VIEW_ORGS)
def duty_lists(request):
    units = list(SelfGovernanceUnit.objects.visible_to(request.user, access.VIEW_ORGS).order_by("name"))
    if request.method == "POST":
        unit = get_object_or_404(SelfGovernanceUnit.objects.visible_to(request.user, access.CHANGE_ORGS),
                                 pk=request.POST.get("unit") or 0)
        try:
            draft = duties.new_version(by=Actor.from_request(request), unit=unit)
        except (ValidationError, PermissionDenied) as exc:
            messages_from(request, exc)
            return redirect("org:duties")
        messages.success(request, _("A new draft version was started."))
        return redirect("org:duty_list", pk=draft.pk)
    lists = list(DutyList.objects.visible_to(request.user).filter(unit__in=units).select_related("unit")
                 .prefetch_related("items").order_by("unit__name", "-version"))
    for x in lists:
        x.cov = duties.coverage(list(x.items.all()), x.target_percent)
    return render(request, "org/duty_lists.html", {
        "units": units, "lists": lists, "can_change": request.user.has_perm(access.CHANGE_ORGS)})


@require_perm(access.VIEW_ORGS)
def duty_list(request, pk: int):
    dl = get_object_or_404(DutyList.objects.visible_to(request.user).select_related("unit"), pk=pk)
    can_change = request.user.has_perm(access.CHANGE_ORGS, dl.unit)
    form = ItemForm(request.POST if request.POST.get("action") == "item" else None)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        actor, action = Actor.from_request(request), request.POST.get("action")
        try:
            if action == "item":
                if form.is_valid():
                    duties.add_item(by=actor, duty_list=dl, **form.cleaned_data)
                    messages.success(request, _("Added."))
                    return redirect("org:duty_list", pk=dl.pk)
            elif action == "adopt":
                duties.adopt(by=actor, duty_list=dl, adopted_ref=request.POST.get("adopted_ref", ""))
                messages.success(request, _("The list is adopted and published on the unit's public page."))
                return redirect("org:duty_list", pk=dl.pk)
            elif action in ("covered", "uncovered"):
                item = get_object_or_404(DutyItem, duty_list=dl, pk=request.POST.get("item") or 0)
                duties.set_coverage(by=actor, item=item, covered=action == "covered",
                                    covered_by=request.POST.get("covered_by", ""))
                messages.success(request, _("Saved."))
                return redirect("org:duty_list", pk=dl.pk)
        except ValidationError as exc:
            if action == "item":
                apply_errors(form, exc)
            else:
                messages_from(request, exc)
                return redirect("org:duty_list", pk=dl.pk)
    items = list(dl.items.all())
    return render(request, "org/duty_list.html", {
        "dl": dl, "parties": duties.by_party(items), "coverage": duties.coverage(items, dl.target_percent),
        "form": form, "can_change": can_change,
        "breadcrumbs": [{"label": _("Rights and duties"), "url": "/console/duties/"}, {"label": str(dl)}]},
        status=400 if form.is_bound and form.errors else 200)
