"""Console pages (staff, Bootstrap): points accounts and corrections, rules, the shop, redemptions,
volunteer hours. Lists are console-toolkit ListPages; forms go through service_form/save."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from courtyard.core.audit import Actor
from courtyard.core.console import Column, ListPage, messages_from, service_form
from courtyard.core.permissions import require_perm

from .. import forms, rules, selectors, services
from ..choices import RedemptionState
from ..models import PointsAccount, PointsEntry, PointsRule, Redemption, ShopItem, VolunteerHours
from ..permissions import CONFIRM_HOURS, MANAGE_POINTS, VIEW

RULES, SHOP, ACCOUNTS = "participation:rules", "participation:shop_items", "participation:accounts"


def _post_button(request, url: str, label: str, css: str = "btn-outline-primary") -> str:
    return format_html('<form method="post" action="{}" class="d-inline"><input type="hidden" '
                       'name="csrfmiddlewaretoken" value="{}"><button class="btn btn-sm {}" type="submit">{}</button>'
                       "</form>", url, get_token(request), css, label)


class AccountList(ListPage):
    title = gettext_lazy("Points accounts")
    permission = VIEW
    export_name = "points-accounts"
    ordering = ("-balance", "pk")
    columns = [
        Column("person", gettext_lazy("Person"), value="person.name",
               link=lambda a: reverse("participation:account", args=[a.pk])),
        Column("unit", gettext_lazy("Unit"), value="unit.name"),
        Column("balance", gettext_lazy("Balance"), numeric=True, sort=("balance",)),
        Column("earned", gettext_lazy("Earned in total"), numeric=True, sort=("earned",)),
        Column("head_seq", gettext_lazy("Entries"), numeric=True),
    ]

    def get_queryset(self, user):
        return PointsAccount.objects.visible_to(user).select_related("person", "unit")


class RuleList(ListPage):
    title = gettext_lazy("Points rules")
    permission = VIEW
    ordering = ("unit_id", "act", "pk")
    columns = [
        Column("act", gettext_lazy("Act")),
        Column("points", gettext_lazy("Points per act"), numeric=True),
        Column("daily_cap", gettext_lazy("Cap per day"), numeric=True, value=lambda r: r.daily_cap or None),
        Column("monthly_cap", gettext_lazy("Cap per month"), numeric=True, value=lambda r: r.monthly_cap or None),
        Column("unit", gettext_lazy("Unit"), value="unit.name"),
        Column("active", gettext_lazy("In force"), value=lambda r: _("yes") if r.active else _("no")),
        Column("note", gettext_lazy("Explanation")),
    ]
    template = "participation/console/rules.html"

    def extra_context(self, request):
        return {"can_add": request.user.has_perm(MANAGE_POINTS)}

    def get_queryset(self, user):
        return PointsRule.objects.visible_to(user).select_related("unit")


class ItemList(ListPage):
    """The shop's items; the name links to the edit form for those who stock the shop."""
    title = gettext_lazy("Points shop")
    permission = VIEW
    export_name = "points-shop"
    ordering = ("unit_id", "cost", "pk")
    columns = [
        Column("name", gettext_lazy("Name")),
        Column("kind", gettext_lazy("Kind")),
        Column("cost", gettext_lazy("Points"), numeric=True, sort=("cost",)),
        Column("stock", gettext_lazy("In stock"), numeric=True, sort=("stock",)),
        Column("unit", gettext_lazy("Unit"), value="unit.name"),
        Column("active", gettext_lazy("On sale"), value=lambda i: _("yes") if i.active else _("no")),
    ]
    template = "participation/console/items.html"

    def extra_context(self, request):
        return {"can_add": request.user.has_perm(MANAGE_POINTS)}

    def get_columns(self, request):
        if not request.user.has_perm(MANAGE_POINTS):
            return self.columns
        edit = Column("name", gettext_lazy("Name"), link=lambda i: reverse("participation:item_edit", args=[i.pk]))
        return [edit, *self.columns[1:]]

    def get_queryset(self, user):
        return ShopItem.objects.visible_to(user).select_related("unit")


class RedemptionList(ListPage):
    title = gettext_lazy("Redemptions")
    permission = VIEW
    export_name = "redemptions"
    ordering = ("-created_at", "-pk")

    def get_queryset(self, user):
        return Redemption.objects.visible_to(user).select_related("item__unit", "account__person")

    def get_columns(self, request):
        def actions(r):
            if r.state != RedemptionState.PLACED or not request.user.has_perm(MANAGE_POINTS):
                return ""
            return format_html("{} {}", _post_button(request, reverse("participation:hand_over", args=[r.pk]),
                                                     _("Hand over")),
                               _post_button(request, reverse("participation:cancel_redemption", args=[r.pk]),
                                            _("Cancel and refund"), "btn-outline-secondary"))

        return [
            Column("created_at", gettext_lazy("Redeemed at"), value=lambda r: r.created_at.strftime("%Y-%m-%d %H:%M")),
            Column("person", gettext_lazy("Person"), value="account.person.name"),
            Column("item", gettext_lazy("Item"), value="item.name"),
            Column("cost", gettext_lazy("Points"), numeric=True),
            Column("state", gettext_lazy("Status")),
            Column("actions", gettext_lazy("Actions"), html=actions, export=False),
        ]

    columns = [Column("created_at", gettext_lazy("Redeemed at")), Column("person", gettext_lazy("Person"),
               value="account.person.name"), Column("item", gettext_lazy("Item"), value="item.name"),
               Column("cost", gettext_lazy("Points"), numeric=True), Column("state", gettext_lazy("Status"))]


class HoursList(ListPage):
    title = gettext_lazy("Volunteer hours")
    permission = VIEW
    export_name = "volunteer-hours"
    ordering = ("-day", "-pk")
    columns = [
        Column("day", gettext_lazy("Day")),
        Column("person", gettext_lazy("Volunteer"), value="person.name"),
        Column("activity", gettext_lazy("Activity")),
        Column("hours", gettext_lazy("Hours"), numeric=True),
        Column("confirmed_by", gettext_lazy("Confirmed by"), value="confirmed_by.display_name"),
    ]
    template = "participation/console/hours.html"

    def extra_context(self, request):
        return {"can_add": request.user.has_perm(CONFIRM_HOURS)}

    def get_queryset(self, user):
        return VolunteerHours.objects.visible_to(user).select_related("person", "confirmed_by")


@require_perm(MANAGE_POINTS)
def rule_new(request):
    units = selectors.units_for(request.user)
    form = forms.RuleForm(request.POST or None, units=units)
    return service_form(
        request, form, title=_("Publish a points rule"), back_url=reverse(RULES),
        intro=_("Saving a rule for an act that already has one replaces it; the change is recorded."),
        write=lambda d: services.save_rule(by=Actor.from_request(request), **d),
        success=_("The rule is published."), next=reverse(RULES))


@require_perm(MANAGE_POINTS)
def item_new(request):
    units = selectors.units_for(request.user)
    form = forms.ItemForm(request.POST or None, units=units, calls=selectors.open_calls(request.user, units))
    return service_form(request, form, title=_("New shop item"), back_url=reverse(SHOP),
                        write=lambda d: services.save_item(by=Actor.from_request(request), **d),
                        success=_("The item is in the shop."), next=reverse(SHOP))


@require_perm(MANAGE_POINTS)
def item_edit(request, pk: int):
    item = get_object_or_404(ShopItem.objects.visible_to(request.user, MANAGE_POINTS), pk=pk)
    units = selectors.units_for(request.user).filter(pk=item.unit_id)
    initial = {f: getattr(item, f) for f in ("name", "kind", "cost", "stock", "description", "active", "grant_call")}
    form = forms.ItemForm(request.POST or None, units=units, initial={**initial, "unit": item.unit_id},
                          calls=selectors.open_calls(request.user, units))
    return service_form(request, form, title=_("Edit shop item"), back_url=reverse(SHOP),
                        write=lambda d: services.save_item(by=Actor.from_request(request), item=item, **d),
                        success=_("The item is saved."), next=reverse(SHOP))


@require_perm(CONFIRM_HOURS)
def hours_new(request):
    units = selectors.units_for(request.user, CONFIRM_HOURS)
    form = forms.HoursForm(request.POST or None, units=units, people=selectors.people_of(units))
    return service_form(
        request, form, title=_("Confirm volunteer hours"), back_url=reverse("participation:hours"),
        intro=_("You confirm, as the organiser, hours someone else served. The points follow the published rule."),
        write=lambda d: services.confirm_hours(by=Actor.from_request(request), **d),
        success=_("The hours are confirmed."), next=reverse("participation:hours"))


@require_perm(VIEW)
def account_detail(request, pk: int):
    account = get_object_or_404(PointsAccount.objects.visible_to(request.user).select_related("person", "unit"), pk=pk)
    entries = list(selectors.account_entries(request.user, account)[:200])
    can_correct = rules.may_manage_points(request.user, account)
    return render(request, "participation/console/account.html",
                  {"account": account, "entries": entries, "can_correct": can_correct})


@require_perm(MANAGE_POINTS)
def entry_reverse(request, pk: int):
    entry = get_object_or_404(PointsEntry.objects.visible_to(request.user, MANAGE_POINTS)
                              .select_related("account__person"), pk=pk)
    back = reverse("participation:account", args=[entry.account_id])
    form = forms.ReverseForm(request.POST or None)
    return service_form(
        request, form, title=_("Correct a points entry"), back_url=back,
        intro=_("%(person)s · entry no. %(seq)d · %(points)+d points. The entry stays; a correcting entry of the "
                "opposite sign is added.") % {"person": entry.account.person.name, "seq": entry.seq,
                                               "points": entry.points},
        write=lambda d: services.reverse_entry(by=Actor.from_request(request), entry=entry, reason=d["reason"]),
        success=_("The correction is recorded."), next=back)


def _redemption(request, pk: int) -> Redemption:
    return get_object_or_404(Redemption.objects.visible_to(request.user, MANAGE_POINTS), pk=pk)


@require_POST
@require_perm(MANAGE_POINTS)
def hand_over(request, pk: int):
    r = _redemption(request, pk)
    try:
        services.hand_over(by=Actor.from_request(request), redemption=r)
    except (PermissionDenied, ValidationError) as exc:
        messages_from(request, exc)
    return redirect("participation:redemptions")


@require_POST
@require_perm(MANAGE_POINTS)
def cancel_redemption(request, pk: int):
    r = _redemption(request, pk)
    try:
        services.cancel_redemption(by=Actor.from_request(request), redemption=r, reason=_("Cancelled by staff"))
    except (PermissionDenied, ValidationError) as exc:
        messages_from(request, exc)
    return redirect("participation:redemptions")

