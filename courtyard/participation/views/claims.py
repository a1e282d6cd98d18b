"""Claims: residents post, claim, report done and thank (phone); staff see every wish in scope (console)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courtyard.core.audit import Actor
from courtyard.core.console import Column, ListPage

from .. import forms, rules, selectors, services
from ..choices import WishState
from ..models import Wish
from ..permissions import VIEW


class WishList(ListPage):
    title = gettext_lazy("Wishes and claims")
    permission = VIEW
    export_name = "wishes"
    ordering = ("-created_at", "-pk")
    columns = [
        Column("created_at", gettext_lazy("Posted at"), value=lambda w: timezone.localtime(w.created_at).strftime(
            "%Y-%m-%d")),
        Column("title", gettext_lazy("Wish"), link=lambda w: reverse("participation:wish", args=[w.pk])),
        Column("kind", gettext_lazy("Kind")),
        Column("posted_by", gettext_lazy("Posted by"), value="posted_by.name"),
        Column("claimer", gettext_lazy("Claimed by"), value=lambda w: w.claimer_label or None),
        Column("state", gettext_lazy("Status")),
    ]

    def get_queryset(self, user):
        return Wish.objects.visible_to(user).select_related("posted_by", "claimed_by", "claimed_partner")


def _files(request) -> list:
    f = request.FILES.get("photo")
    return [f] if f else []


def _errors(form, exc) -> None:
    for m in getattr(exc, "messages", [str(exc)]):
        form.add_error(None, m)


@login_required
def wishes(request):
    data = selectors.my_wishes(request.user)
    if data is None:
        messages.error(request, _("Your account is not linked to a home yet; ask your community office."))
        return redirect("web:home")
    form = forms.WishForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            wish = services.post_wish(by=Actor.from_request(request), title=d["title"], kind=d["kind"],
                                      description=d["description"], photos=_files(request))
        except (PermissionDenied, ValidationError) as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Your wish is posted. You will be told when someone claims it."))
            return redirect("participation:wish", pk=wish.pk)
    return render(request, "participation/wishes.html", {**data, "form": form},
                  status=400 if form.errors else 200)


@login_required
def wish(request, pk: int):
    w = selectors.wish_for(request.user, pk)
    if w is None:
        raise Http404
    me = selectors.person_of(request.user)
    is_poster = me is not None and me.pk == w.posted_by_id
    is_claimer = me is not None and me.pk == w.claimed_by_id
    done_form = forms.DoneForm(request.POST if request.POST.get("step") == "done" else None,
                               request.FILES or None, prefix="d")
    thanks_form = forms.ThanksForm(request.POST if request.POST.get("step") == "thank" else None,
                                   request.FILES or None, prefix="t")
    if request.method == "POST":
        by, step = Actor.from_request(request), request.POST.get("step")
        try:
            if step == "claim":
                services.claim_wish(by=by, wish=w, team=request.POST.get("team", ""))
                messages.success(request, _("Thank you: the wish is yours. Tell them when it is done."))
            elif step == "withdraw":
                services.withdraw_wish(by=by, wish=w)
                messages.success(request, _("The wish is withdrawn."))
            elif step == "done" and done_form.is_valid():
                services.report_done(by=by, wish=w, note=done_form.cleaned_data["note"],
                                     photos=[done_form.cleaned_data["photo"]] if done_form.cleaned_data["photo"] else [])
                messages.success(request, _("Reported done. The points follow when they confirm."))
            elif step == "thank" and thanks_form.is_valid():
                _w, entry = services.thank(by=by, wish=w, thanks=thanks_form.cleaned_data["thanks"],
                                           photos=[thanks_form.cleaned_data["photo"]]
                                           if thanks_form.cleaned_data["photo"] else [])
                messages.success(request, _("Thank you for confirming."))
            else:
                raise ValidationError(_("Please check the form."))
        except (PermissionDenied, ValidationError) as exc:
            _errors(done_form if step == "done" else thanks_form, exc)
        else:
            return redirect("participation:wish", pk=w.pk)
    return render(request, "participation/wish.html", {
        "w": w, "is_poster": is_poster, "is_claimer": is_claimer, "may_claim": rules.may_claim(request.user, w),
        "photos": selectors.wish_photos(request.user, w), "done_form": done_form, "thanks_form": thanks_form,
        "states": WishState}, status=400 if (done_form.errors or thanks_form.errors) else 200)
