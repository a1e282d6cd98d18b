"""The points economy (PTC-3): published rules, one account per person and unit, an append-only,
hash-chained ledger, and the points shop (积分超市). docs/adr/0017-points-ledger-and-shop.md."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from courtyard.core.access import ParentScoped, ScopedQuerySet
from courtyard.core.chain import GENESIS
from courtyard.core.models import AppendOnlyModel, AppendOnlyQuerySet

from .. import chain
from ..choices import Act, EntryKind, ItemKind, RedemptionState
from .base import VIEW, UnitRow


class PointsRule(UnitRow):
    """积分规则: what one verified act earns, with caps per day and per month (0: no cap). Published on
    the residents' points page; a change is audited and applies to acts credited after it."""

    act = models.CharField(_("act"), max_length=24, choices=Act.choices)
    points = models.PositiveIntegerField(_("points per act"))
    daily_cap = models.PositiveIntegerField(_("cap per day"), default=0, help_text=_("0 means no cap"))
    monthly_cap = models.PositiveIntegerField(_("cap per month"), default=0, help_text=_("0 means no cap"))
    note = models.CharField(_("explanation"), max_length=200, blank=True)
    active = models.BooleanField(_("in force"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["unit_id", "act"]
        verbose_name = _("points rule")
        verbose_name_plural = _("points rules")
        constraints = [models.UniqueConstraint(fields=["unit", "act"], name="participation_rule_one_per_act")]

    def __str__(self) -> str:
        return f"{self.get_act_display()} +{self.points}"


class PointsAccount(UnitRow):
    """One person's points in one unit. `balance` and `head_*` move only in `services.points.append`,
    under this row's lock; the CHECK keeps the balance from ever going below zero."""

    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    balance = models.IntegerField(_("balance"), default=0, editable=False)
    earned = models.IntegerField(_("earned in total"), default=0, editable=False)
    head_seq = models.PositiveIntegerField(default=0, editable=False)
    head_hash = models.CharField(max_length=64, default=GENESIS, editable=False)
    head_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["unit_id", "-balance", "id"]
        verbose_name = _("points account")
        verbose_name_plural = _("points accounts")
        constraints = [
            models.UniqueConstraint(fields=["unit", "person"], name="participation_account_one_per_person"),
            models.CheckConstraint(condition=Q(balance__gte=0), name="participation_balance_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.balance}"


class EntryQuerySet(AppendOnlyQuerySet, ScopedQuerySet):
    pass


class PointsEntry(ParentScoped, AppendOnlyModel):
    """One line of a points account: + for an earned act, − for a redemption, a reversal pointing at
    what it corrects. `source` names the verified act ("rota_shift:17"); an act earns once."""

    scope_parent = "account"
    scope_lookups = {"path": "account__community__path", "unit": "account__unit"}
    view_perm = VIEW

    account = models.ForeignKey(PointsAccount, on_delete=models.PROTECT, related_name="entries",
                                verbose_name=_("points account"))
    seq = models.PositiveIntegerField(_("no."))
    kind = models.CharField(_("kind"), max_length=10, choices=EntryKind.choices)
    act = models.CharField(_("act"), max_length=24, choices=Act.choices, blank=True)
    points = models.IntegerField(_("points"))
    earned_on = models.DateField(_("date"))
    source = models.CharField(_("verified act"), max_length=64, blank=True)
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="reversed_by", verbose_name=_("corrects entry"))
    redemption = models.ForeignKey("Redemption", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="entries", verbose_name=_("redemption"))
    memo = models.CharField(_("memo"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["account_id", "seq"]
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")
        constraints = [
            models.UniqueConstraint(fields=["account", "seq"], name="participation_entry_unique_seq"),
            # One act earns once, whoever tries to credit it again (and from whichever screen).
            models.UniqueConstraint(fields=["source"], condition=Q(kind="earn"), name="participation_act_earns_once"),
            models.CheckConstraint(condition=~Q(points=0), name="participation_entry_nonzero"),
            models.CheckConstraint(
                condition=(Q(kind="earn", points__gt=0) & ~Q(source="") | Q(kind__in=("redeem", "offset"), points__lt=0)
                           | Q(kind="reversal", reverses__isnull=False)),
                name="participation_entry_sign_matches_kind"),
        ]
        indexes = [models.Index(fields=["account", "-seq"], name="participation_entry_acct_seq")]

    def __str__(self) -> str:
        return f"{self.account_id}#{self.seq} {self.points:+d}"

    def chain_values(self) -> dict:
        return {name: getattr(self, name) for name in chain.FIELDS}


class ShopItem(UnitRow):
    """积分超市 item: goods, a service, a fee offset or the right to run a micro-project. `stock` moves
    only under the item's row lock; the CHECK keeps it from going below zero (no overselling)."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=ItemKind.choices, default=ItemKind.GOODS)
    cost = models.PositiveIntegerField(_("points"))
    stock = models.IntegerField(_("in stock"), default=0)
    description = models.CharField(_("description"), max_length=300, blank=True)
    active = models.BooleanField(_("on sale"), default=True)
    # "The right to run a micro-project": the micro-grant call (微创投, funds) the redeemer may propose in.
    grant_call = models.ForeignKey("funds.GrantCall", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("micro-grant call"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["unit_id", "cost", "id"]
        verbose_name = _("shop item")
        verbose_name_plural = _("shop items")
        constraints = [
            models.CheckConstraint(condition=Q(stock__gte=0), name="participation_stock_not_negative"),
            models.CheckConstraint(condition=Q(cost__gt=0), name="participation_cost_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Redemption(ParentScoped, models.Model):
    """One redemption: the points are taken (a `redeem` entry) and the stock reserved when it is placed;
    staff hand the item over, or cancel (a reversal gives the points back, the stock returns)."""

    scope_parent = "item"
    scope_lookups = {"path": "item__community__path", "unit": "item__unit"}
    view_perm = VIEW

    item = models.ForeignKey(ShopItem, on_delete=models.PROTECT, related_name="redemptions", verbose_name=pgettext_lazy("shop", "item"))
    account = models.ForeignKey(PointsAccount, on_delete=models.PROTECT, related_name="redemptions",
                                verbose_name=_("points account"))
    cost = models.PositiveIntegerField(_("points"))
    state = models.CharField(_("status"), max_length=16, choices=RedemptionState.choices,
                             default=RedemptionState.PLACED)
    created_at = models.DateTimeField(_("redeemed at"), default=timezone.now)
    decided_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("redemption")
        verbose_name_plural = _("redemptions")

    def __str__(self) -> str:
        return f"{self.item} · {self.account.person}"


class VolunteerHours(UnitRow):
    """Volunteer hours an organiser confirmed for someone else; the confirmation is the verified act."""

    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("volunteer"))
    activity = models.CharField(_("activity"), max_length=120)
    day = models.DateField(_("day"))
    hours = models.PositiveSmallIntegerField(_("hours"))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("confirmed by"))
    confirmed_at = models.DateTimeField(_("confirmed at"), default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "-id"]
        verbose_name = _("volunteer hours")
        verbose_name_plural = _("volunteer hours")
        constraints = [models.CheckConstraint(condition=Q(hours__gte=1, hours__lte=24), name="participation_hours_1_24")]

    def __str__(self) -> str:
        return f"{self.person} {self.activity} {self.hours}h"


class BillOffset(ParentScoped, models.Model):
    """Points used on a household fee bill (积分抵扣, ADR 0028): the `offset` entry that took the points and
    the yuan it paid on the bill, at the plan's published points-per-yuan rate. Corrected by a reversal of the
    entry, which also puts the amount back on the bill (`reversed_at`)."""

    scope_parent = "account"
    scope_lookups = {"path": "account__community__path", "unit": "account__unit"}
    view_perm = VIEW

    account = models.ForeignKey(PointsAccount, on_delete=models.PROTECT, related_name="offsets",
                                verbose_name=_("points account"))
    bill = models.ForeignKey("funds.FeeBill", on_delete=models.PROTECT, related_name="+", verbose_name=_("bill"))
    entry = models.OneToOneField(PointsEntry, on_delete=models.PROTECT, related_name="bill_offset")
    points = models.PositiveIntegerField(_("points"))
    amount_fen = models.PositiveIntegerField(_("amount"))
    points_per_yuan = models.PositiveIntegerField(_("points per yuan"))
    created_at = models.DateTimeField(default=timezone.now)
    reversed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("points used on a bill")
        verbose_name_plural = _("points used on bills")
        constraints = [models.CheckConstraint(condition=Q(points__gt=0, amount_fen__gt=0),
                                              name="participation_offset_positive")]
