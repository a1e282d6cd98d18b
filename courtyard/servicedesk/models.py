"""Requests (诉求), their events, SLA policies and calendar, vendors' agreements, ratings and
follow-ups, the service menu and orders, demand/resource lists, and Open311 keys (SVC-1..7, X-7)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtyard.core.access import ParentScoped, PathScoped, ScopedQuerySet, SharedQuerySet

from .choices import ClockUnit, Kind, Level, Menu, OfferKind, OrderStage, State, Urgency

VIEW = "servicedesk.view_request"


class Category(models.Model):
    """A node of the configurable category tree (water → leaking pipe …)."""
    scope_lookups = {"path": "community__path", "unit": None}
    scope_shared_lookup = "community"  # null: shared by every community
    view_perm = VIEW

    community = models.ForeignKey("org.Place", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                                  help_text="empty: shared by every community")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=60)
    default_kind = models.CharField(_("usual kind"), max_length=20, choices=Kind.choices, default=Kind.REPAIR)
    team = models.CharField(_("responsible team"), max_length=60, blank=True)
    department = models.ForeignKey("org.PartnerUnit", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("responsible department"))
    active = models.BooleanField(_("active"), default=True)
    sort = models.PositiveSmallIntegerField(default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["sort", "code"]
        verbose_name = _("request category")
        verbose_name_plural = _("request categories")
        constraints = [models.UniqueConstraint(fields=["code"], name="svc_category_code")]

    def __str__(self) -> str:
        return self.name


class CalendarDay(models.Model):
    """A day that breaks the Monday–Friday rule: a public holiday (off) or a make-up day (调休, on)."""
    view_perm = VIEW

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"), help_text="True for a make-up working day on a weekend")
    name = models.CharField(_("name"), max_length=40)

    objects = SharedQuerySet.as_manager()  # shared by every community

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class SlaPolicy(models.Model):
    """Promised times for a category (or every category when empty) and urgency."""
    scope_lookups = {"path": "category__community__path", "unit": None}
    scope_shared_lookup = "category__community"  # null: shared by every community
    view_perm = VIEW

    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.CASCADE, related_name="policies",
                                 verbose_name=_("category"))
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices)
    unit = models.CharField(_("counted in"), max_length=16, choices=ClockUnit.choices, default=ClockUnit.HOURS)
    accept_within = models.PositiveIntegerField(_("accept within"))
    onsite_within = models.PositiveIntegerField(_("on site within"))
    resolve_within = models.PositiveIntegerField(_("resolve within"))
    pause_when_waiting = models.BooleanField(_("clock pauses while waiting on the resident"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["category", "urgency"]
        verbose_name = _("SLA policy")
        constraints = [
            models.UniqueConstraint(fields=["category", "urgency"], name="svc_sla_unique"),
            models.UniqueConstraint(fields=["urgency"], condition=Q(category__isnull=True), name="svc_sla_default_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.category or '*'} / {self.get_urgency_display()}"


class Agreement(models.Model):
    """A framework agreement with a vendor (a partner unit) covering some categories, with SLA terms."""

    community = models.ForeignKey("org.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    vendor = models.ForeignKey("org.PartnerUnit", on_delete=models.PROTECT, related_name="agreements",
                               verbose_name=_("vendor"))
    title = models.CharField(_("title"), max_length=120)
    categories = models.ManyToManyField(Category, related_name="agreements", verbose_name=_("categories"))
    onsite_hours = models.PositiveIntegerField(_("ordinary repair on site within (hours)"), default=48)
    emergency_hours = models.PositiveIntegerField(_("emergency response within (hours)"), default=2)
    starts = models.DateField(_("from"))
    ends = models.DateField(_("until"), null=True, blank=True)
    max_open = models.PositiveIntegerField(_("open work orders at most"), default=20)

    objects = ScopedQuerySet.as_manager()
    scope_lookups = {"path": "community__path", "unit": None}
    view_perm = VIEW

    class Meta:
        ordering = ["vendor__name"]
        verbose_name = _("framework agreement")

    def __str__(self) -> str:
        return self.title

    def in_force(self, day=None) -> bool:
        day = day or timezone.localdate()
        return self.starts <= day and (self.ends is None or self.ends >= day)


class Request(PathScoped, models.Model):
    """诉求: one resident's (or patrol's) request, carried through the closed loop."""

    community = models.ForeignKey("org.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    unit = models.ForeignKey("org.SelfGovernanceUnit", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("unit"))
    place = models.ForeignKey("org.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("location"))
    facility = models.CharField(_("facility"), max_length=100, blank=True)
    path = models.CharField(max_length=255, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.REPAIR)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="requests", verbose_name=_("category"))
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.SUBMITTED, db_index=True)
    # Who: always known to staff; `public_anonymous` only hides the name on public/API output.
    reporter = models.ForeignKey("org.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("reporter"))
    reporter_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    reporter_name = models.CharField(_("reporter name"), max_length=60, blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("filed by"))
    channel = models.CharField(_("channel"), max_length=16, default="online")
    source = models.CharField(_("source"), max_length=16, default="resident",
                              help_text="resident, staff, patrol, qr, open311")
    public_anonymous = models.BooleanField(_("hide my name from the public"), default=False)
    # Handling
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("assignee"))
    vendor = models.ForeignKey("org.PartnerUnit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("vendor or department"))
    dispatch_reason = models.CharField(_("dispatch reason"), max_length=300, blank=True)
    referred_to = models.CharField(_("referred to"), max_length=200, blank=True)
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates")
    group_matter = models.BooleanField(_("complex or group matter"), default=False)
    meeting_by = models.DateTimeField(_("coordination meeting by"), null=True, blank=True)
    # Clocks
    created_at = models.DateTimeField(_("filed"), default=timezone.now, db_index=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    onsite_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    accept_due = models.DateTimeField(_("accept by"), null=True, blank=True)
    onsite_due = models.DateTimeField(_("on site by"), null=True, blank=True)
    resolve_due = models.DateTimeField(_("resolve by"), null=True, blank=True)
    next_due = models.DateTimeField(_("next deadline"), null=True, blank=True)
    paused_since = models.DateTimeField(null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(default=0)
    overdue = models.BooleanField(_("overdue"), default=False)
    escalation = models.PositiveSmallIntegerField(_("escalation"), choices=Level.choices, default=Level.NONE)
    stars = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    map_x = models.FloatField(null=True, blank=True)
    map_y = models.FloatField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    long = models.FloatField(null=True, blank=True)
    token = models.CharField(max_length=32, blank=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_lookups = {"path": "path", "unit": "unit"}
    view_perm = VIEW

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        indexes = [
            # The overdue sweep walks this partial index only: open requests ordered by their next deadline.
            models.Index(fields=["next_due"], name="svc_request_open_due",
                         condition=Q(next_due__isnull=False)),
            models.Index(fields=["community", "state"], name="svc_request_comm_state"),
            models.Index(fields=["assignee", "state"], name="svc_request_assignee"),
            models.Index(fields=["vendor", "state"], name="svc_request_vendor"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def is_open(self) -> bool:
        from .choices import OPEN_STATES

        return self.state in OPEN_STATES

    @property
    def public_reporter(self) -> str:
        return "" if self.public_anonymous else (self.reporter_name or "")


class RequestEvent(ParentScoped, models.Model):
    """One step of a request (留痕): who, when, on whose behalf, from which state to which, note, photos."""
    scope_lookups = {"path": "request__path", "unit": "request__unit"}
    scope_parent = "request"
    view_perm = VIEW

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=32)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(max_length=120, blank=True)
    on_behalf_of = models.ForeignKey("org.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    channel = models.CharField(max_length=16, default="online")
    note = models.TextField(blank=True)
    public = models.BooleanField(default=True, help_text="shown on the resident's timeline")
    at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.action}"


class Rating(ParentScoped, models.Model):
    scope_lookups = {"path": "request__path", "unit": "request__unit"}
    scope_parent = "request"
    view_perm = VIEW

    request = models.OneToOneField(Request, on_delete=models.CASCADE, related_name="rating")
    stars = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    reasons = models.JSONField(default=list, blank=True)
    fixed = models.BooleanField(default=True)
    comment = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(stars__gte=1) & Q(stars__lte=5), name="svc_rating_stars")]


class FollowUp(ParentScoped, models.Model):
    """回访: a scheduled call after a low score, logged when made."""
    scope_lookups = {"path": "request__path", "unit": "request__unit"}
    scope_parent = "request"
    view_perm = VIEW

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="followups")
    due = models.DateTimeField(_("call by"))
    reason = models.CharField(_("reason"), max_length=200)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    outcome = models.TextField(_("outcome"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["due"]


class Escalation(ParentScoped, models.Model):
    """One rung of the escalation ladder reached by an overdue request (吹哨报到)."""
    scope_lookups = {"path": "request__path", "unit": "request__unit"}
    scope_parent = "request"
    view_perm = VIEW

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="escalations")
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    at = models.DateTimeField(default=timezone.now)
    notified = models.PositiveIntegerField(default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["at"]
        constraints = [models.UniqueConstraint(fields=["request", "level"], name="svc_escalation_once")]


class ApiKey(ParentScoped, models.Model):
    """An Open311 API key for one community; only its SHA-256 is stored."""
    scope_lookups = {"path": "community__path", "unit": None}
    scope_parent = "community"
    view_perm = "servicedesk.configure"

    community = models.ForeignKey("org.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


# ---------------------------------------------------------------- service menu and orders (SVC-5)
class ServiceItem(ParentScoped, models.Model):
    scope_lookups = {"path": "community__path", "unit": None}
    scope_parent = "community"
    view_perm = VIEW

    community = models.ForeignKey("org.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    menu = models.CharField(_("list"), max_length=16, choices=Menu.choices)
    name = models.CharField(_("service"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    price_fen = models.PositiveIntegerField(_("price (fen)"), default=0)
    provider = models.ForeignKey("org.PartnerUnit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("provider"))
    active = models.BooleanField(default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["menu", "price_fen", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def price_yuan(self) -> str:
        return f"{self.price_fen // 100}.{self.price_fen % 100:02d}"


class ServiceOrder(PathScoped, models.Model):
    """居民点单 → 院委会评估 → 社区统筹派单 → 服务过程留痕 → 多方联合验收."""

    community = models.ForeignKey("org.Place", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.SelfGovernanceUnit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    path = models.CharField(max_length=255, db_index=True)
    item = models.ForeignKey(ServiceItem, null=True, blank=True, on_delete=models.PROTECT, related_name="orders")
    title = models.CharField(_("title"), max_length=120)
    detail = models.TextField(_("detail"), blank=True)
    person = models.ForeignKey("org.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    ordered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    stage = models.CharField(_("stage"), max_length=16, choices=OrderStage.choices, default=OrderStage.ORDERED)
    provider = models.ForeignKey("org.PartnerUnit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("provider"))
    price_fen = models.PositiveIntegerField(default=0)
    request = models.OneToOneField(Request, null=True, blank=True, on_delete=models.SET_NULL, related_name="order")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet.as_manager()
    scope_lookups = {"path": "path", "unit": "unit"}
    view_perm = VIEW

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class OrderSignOff(ParentScoped, models.Model):
    """Each step's sign-off; joint acceptance needs the resident, the committee and the community."""
    scope_lookups = {"path": "order__path", "unit": "order__unit"}
    scope_parent = "order"
    view_perm = VIEW

    order = models.ForeignKey(ServiceOrder, on_delete=models.CASCADE, related_name="signoffs")
    stage = models.CharField(max_length=16, choices=OrderStage.choices)
    party = models.CharField(max_length=16, help_text="resident, committee, community, provider")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["order", "stage", "party"], name="svc_signoff_once")]


# ---------------------------------------------------------------- demand and resource lists (SVC-7)
class Offer(ParentScoped, models.Model):
    scope_lookups = {"path": "community__path", "unit": None}
    scope_parent = "community"
    view_perm = VIEW

    community = models.ForeignKey("org.Place", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=OfferKind.choices)
    title = models.CharField(_("offer"), max_length=120)
    partner = models.ForeignKey("org.PartnerUnit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                verbose_name=_("partner unit"))
    person = models.ForeignKey("org.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("category"))
    available_from = models.DateField(_("available from"), null=True, blank=True)
    available_until = models.DateField(_("available until"), null=True, blank=True)
    availability = models.CharField(_("availability"), max_length=120, blank=True)
    value_fen = models.PositiveIntegerField(_("value (fen)"), default=0)
    active = models.BooleanField(default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "title"]

    def __str__(self) -> str:
        return self.title


class Demand(ParentScoped, models.Model):
    scope_lookups = {"path": "community__path", "unit": None}
    scope_parent = "community"
    view_perm = VIEW

    community = models.ForeignKey("org.Place", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("need"), max_length=120)
    kind = models.CharField(_("kind needed"), max_length=16, choices=OfferKind.choices)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("category"))
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL)
    supporters = models.ManyToManyField("org.Person", blank=True, related_name="+")
    matched_offer = models.ForeignKey(Offer, null=True, blank=True, on_delete=models.SET_NULL, related_name="matches")
    order = models.ForeignKey(ServiceOrder, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title
