"""Accounts, the append-only ledger, expenditure requests with their sign-offs, levies,
trust-property statements and micro-grants (SPEC FND-1..7, issue 5).

Ledger rows and approval steps are append-only twice over: the ORM refuses update/delete
(AppendOnlyModel) and database triggers refuse them (migration 0002). A payment row can only
be inserted for a request that the database itself sees as fully signed off (same migration;
docs/adr/0004-ledger-integrity.md).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtyard.core.access import ParentScoped, ScopedQuerySet
from courtyard.core.models import AppendOnlyModel, AppendOnlyQuerySet

from . import chain
from .choices import (
    Basis,
    CallState,
    Category,
    CounterpartyKind,
    Decision,
    Kind,
    Policy,
    ProposalState,
    Purpose,
    RequestState,
    StatementState,
    Step,
)

VIEW = "funds.view_ledger"


class _UnitScoped(models.Model):
    """Rows that belong to a self-governance unit's account: scoped by its community path and unit."""

    class Meta:
        abstract = True

    @property
    def scope_path(self) -> str:
        return self._account().community.path

    @property
    def scope_unit_id(self) -> int | None:
        return self._account().unit_id

    def _account(self) -> Account:
        return self.account


class Account(_UnitScoped):
    """专用账户 / 共管账户 / 自治基金 / 微基金 / 信托物业账户 / 维修资金 (FND-1).

    `head_*` are the chain head, moved only by `services.append_entry` under a row lock; `head_seq`
    is also the account's entry count (seq runs 1..n without gaps, which `ledger_verify` checks).
    `balance_fen`, `income_fen` and `gov_income_fen` are running totals kept in the same locked
    append, so pages read them instead of summing the ledger; `ledger_verify` recomputes them
    from the entries and reports any drift.
    """

    community = models.ForeignKey("org.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    unit = models.ForeignKey("org.SelfGovernanceUnit", on_delete=models.PROTECT, related_name="accounts",
                             verbose_name=_("self-governance unit"))
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    name = models.CharField(_("name"), max_length=120)
    custodian = models.CharField(_("custodian"), max_length=120,
                                 help_text=_("Who holds the money, e.g. the community finance office or a bank."))
    bank_account = models.CharField(_("bank account (last digits)"), max_length=40, blank=True)
    # The trust institution (an org partner unit) holding this account's money in trust (ORG-8); its staff's
    # logins see this account and its ledger, nothing else of the funds.
    trustee = models.ForeignKey("org.PartnerUnit", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("held in trust by"))
    policy = models.CharField(_("approval policy"), max_length=16, choices=Policy.choices)
    single_approver_below_fen = models.BigIntegerField(
        _("single approver below (fen)"), default=0,
        help_text=_("Payments below this amount need one approver only; 0 switches this off."))
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    head_seq = models.PositiveIntegerField(default=0, editable=False)
    head_hash = models.CharField(max_length=64, default=chain.GENESIS, editable=False)
    head_at = models.DateTimeField(null=True, blank=True, editable=False)
    balance_fen = models.BigIntegerField(default=0, editable=False)
    # Income net of its corrections, and the part of it paid by government (subsidies, grants).
    income_fen = models.BigIntegerField(default=0, editable=False)
    gov_income_fen = models.BigIntegerField(default=0, editable=False)

    objects = ScopedQuerySet.as_manager()
    scope_lookups = {"path": "community__path", "unit": "unit"}
    view_perm = VIEW

    class Meta:
        ordering = ["unit", "purpose", "name"]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="funds_account_unique_name")]

    def __str__(self) -> str:
        return self.name

    def _account(self) -> Account:
        return self

    def get_console_url(self) -> str:
        return reverse("funds:account", args=[self.pk])


class EntryQuerySet(AppendOnlyQuerySet, ScopedQuerySet):
    pass


class LedgerEntry(AppendOnlyModel, _UnitScoped):
    """One line of the ledger, integer fen: positive is money in, negative is money out."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries", verbose_name=_("account"))
    seq = models.PositiveIntegerField(_("no."))
    booked_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    basis = models.CharField(_("basis"), max_length=16, choices=Basis.choices)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices, blank=True)
    counterparty_kind = models.CharField(_("counterparty kind"), max_length=16, choices=CounterpartyKind.choices)
    counterparty_name = models.CharField(_("counterparty"), max_length=120)
    partner = models.ForeignKey("org.PartnerUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    request = models.ForeignKey("ExpenditureRequest", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="entries", verbose_name=_("expenditure request"))
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="reversed_by", verbose_name=_("corrects entry"))
    levy_charge = models.ForeignKey("LevyCharge", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="payments")
    receipt_no = models.CharField(_("receipt no."), max_length=40, blank=True)
    memo = models.CharField(_("memo"), max_length=300, blank=True)
    resolution_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    resolution_id = models.CharField(max_length=64, blank=True)
    resolution = GenericForeignKey("resolution_type", "resolution_id")
    resolution_ref = models.CharField(_("resolution or vote"), max_length=200, blank=True)
    # SHA-256 of each attached file at booking time, comma-separated; part of the hash.
    attachment_digests = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    # The encoding version `hash` was computed with (chain.FIELDS_BY_VERSION); rows from before
    # version 2 keep 1 (migration 0004). Never decreases along a chain (ledger_verify checks it).
    chain_version = models.PositiveSmallIntegerField(default=chain.VERSION, editable=False)

    objects = EntryQuerySet.as_manager()
    scope_lookups = {"path": "account__community__path", "unit": "account__unit"}
    view_perm = VIEW

    class Meta:
        ordering = ["account_id", "seq"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [
            models.UniqueConstraint(fields=["account", "seq"], name="funds_entry_unique_seq"),
            models.UniqueConstraint(fields=["request"], condition=Q(kind="payment"),
                                    name="funds_entry_one_payment_per_request"),
            models.CheckConstraint(condition=~Q(amount_fen=0), name="funds_entry_nonzero"),
            models.CheckConstraint(
                condition=(Q(kind="income", amount_fen__gt=0) | Q(kind="payment", amount_fen__lt=0)
                           | Q(kind="reversal", reverses__isnull=False)),
                name="funds_entry_sign_matches_kind"),
            models.CheckConstraint(condition=Q(kind="payment", request__isnull=False) | ~Q(kind="payment"),
                                   name="funds_payment_has_request"),
        ]
        indexes = [
            # The public ledger reads each account newest first by (date, id), optionally one category:
            # keyset pages walk these indexes from the cursor (selectors.public_page).
            models.Index(fields=["account", "-booked_on", "-id"], name="funds_entry_acct_date"),
            models.Index(fields=["account", "category", "-booked_on", "-id"], name="funds_entry_acct_cat_date"),
            models.Index(fields=["category"]),
        ]

    def __str__(self) -> str:
        return f"{self.account_id}#{self.seq}"

    def chain_values(self) -> dict:
        return {name: getattr(self, name) for name in chain.FIELDS_BY_VERSION[self.chain_version]}

    @property
    def yuan(self) -> str:
        from .money import yuan

        return yuan(self.amount_fen)


class ExpenditureRequest(_UnitScoped):
    """A request to pay money out of an account; paid only once its policy's sign-offs are complete."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="requests", verbose_name=_("account"))
    title = models.CharField(_("what for"), max_length=200)
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    payee_kind = models.CharField(_("payee kind"), max_length=16, choices=CounterpartyKind.choices)
    payee_name = models.CharField(_("payee"), max_length=120)
    partner = models.ForeignKey("org.PartnerUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    policy = models.CharField(_("approval policy"), max_length=16, choices=Policy.choices)
    # What the database checks before it accepts the payment row (migration 0002).
    required_steps = models.PositiveSmallIntegerField(editable=False)
    required_people = models.PositiveSmallIntegerField(editable=False)
    state = models.CharField(_("state"), max_length=10, choices=RequestState.choices, default=RequestState.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("requested by"))
    created_at = models.DateTimeField(default=timezone.now)
    approved_at = models.DateTimeField(null=True, blank=True)
    resolution_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    resolution_id = models.CharField(max_length=64, blank=True)
    resolution = GenericForeignKey("resolution_type", "resolution_id")
    resolution_ref = models.CharField(_("resolution or vote"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_lookups = {"path": "account__community__path", "unit": "account__unit"}
    view_perm = VIEW

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("expenditure request")
        verbose_name_plural = _("expenditure requests")
        constraints = [models.CheckConstraint(condition=Q(amount_fen__gt=0), name="funds_request_positive")]

    def __str__(self) -> str:
        return self.title

    def get_console_url(self) -> str:
        return reverse("funds:request", args=[self.pk])


class ApprovalStep(ParentScoped, AppendOnlyModel):
    """One signature or one 四议两公开 step on a request. Never changed; never deleted."""
    scope_lookups = {"path": "request__account__community__path", "unit": "request__account__unit"}
    scope_parent = "request"
    view_perm = VIEW

    request = models.ForeignKey(ExpenditureRequest, on_delete=models.PROTECT, related_name="steps")
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=40)
    decided_at = models.DateTimeField(_("date"), default=timezone.now)
    note = models.CharField(_("note"), max_length=300, blank=True)
    resolution_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    resolution_id = models.CharField(max_length=64, blank=True)
    resolution = GenericForeignKey("resolution_type", "resolution_id")
    resolution_ref = models.CharField(_("resolution or vote"), max_length=200, blank=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["request", "decided_at", "id"]
        constraints = [models.UniqueConstraint(fields=["request", "step"], name="funds_step_once")]


class Levy(_UnitScoped):
    """归集: a one-off charge per m² of exclusive area on the unit's dwellings (FND-2)."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="levies", verbose_name=_("account"))
    name = models.CharField(_("name"), max_length=120)
    rate_fen_per_m2 = models.DecimalField(_("rate (fen per m²)"), max_digits=10, decimal_places=2)
    total_fen = models.BigIntegerField(editable=False)
    due_on = models.DateField(_("due by"), null=True, blank=True)
    resolution_ref = models.CharField(_("resolution or vote"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet.as_manager()
    scope_lookups = {"path": "account__community__path", "unit": "account__unit"}
    view_perm = VIEW

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("levy")
        verbose_name_plural = _("levies")

    def __str__(self) -> str:
        return self.name


class LevyCharge(ParentScoped, models.Model):
    """What one dwelling owes under a levy, fixed when the levy is made (area snapshot)."""
    scope_lookups = {"path": "levy__account__community__path", "unit": "levy__account__unit"}
    scope_parent = "levy"
    view_perm = VIEW

    levy = models.ForeignKey(Levy, on_delete=models.PROTECT, related_name="charges")
    dwelling = models.ForeignKey("org.Dwelling", on_delete=models.PROTECT, related_name="+")
    building = models.ForeignKey("org.Place", on_delete=models.PROTECT, related_name="+")
    area_m2 = models.DecimalField(max_digits=10, decimal_places=2)
    amount_fen = models.BigIntegerField()
    paid_fen = models.BigIntegerField(default=0, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["levy", "building", "dwelling"]
        constraints = [models.UniqueConstraint(fields=["levy", "dwelling"], name="funds_levy_charge_once")]


class FeePlan(_UnitScoped):
    """信托制物业: the property fee residents pay into the trust-property account (FND-5)."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="fee_plans", verbose_name=_("account"))
    name = models.CharField(_("name"), max_length=120)
    rate_fen_per_m2_month = models.DecimalField(_("fee (fen per m² per month)"), max_digits=10, decimal_places=2)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    settlor = models.CharField(_("settlor"), max_length=120, default="")
    trustee = models.CharField(_("trustee"), max_length=120, default="")
    resolution_ref = models.CharField(_("resolution or vote"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_lookups = {"path": "account__community__path", "unit": "account__unit"}
    view_perm = VIEW

    def __str__(self) -> str:
        return self.name


class MonthlyStatement(_UnitScoped):
    """A month of one account, frozen from the ledger: in, out, balance and the chain head (FND-5)."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="statements")
    month = models.DateField(help_text="first day of the month")
    opening_fen = models.BigIntegerField()
    income_fen = models.BigIntegerField()
    spending_fen = models.BigIntegerField()
    closing_fen = models.BigIntegerField()
    entries = models.PositiveIntegerField()
    head_seq = models.PositiveIntegerField()
    head_hash = models.CharField(max_length=64)
    state = models.CharField(max_length=10, choices=StatementState.choices, default=StatementState.DRAFT)
    generated_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_lookups = {"path": "account__community__path", "unit": "account__unit"}
    view_perm = VIEW

    class Meta:
        ordering = ["-month", "account"]
        constraints = [models.UniqueConstraint(fields=["account", "month"], name="funds_statement_once")]


class LedgerAnchor(AppendOnlyModel, _UnitScoped):
    """A chain head that left the system on paper or in a file: (account, seq, hash) as printed.

    One row per head and kind of document, written the first time that head is printed: the PDF
    statement of the public ledger, a published monthly statement (which also keeps it on its own
    row), the result notice of a 四议两公开 payment (the payment's entry).
    `ledger_verify` checks every recorded head is still in its chain: a ledger rewound or rewritten
    after printing no longer contains it (docs/adr/0008-ledger-against-paper.md). Append-only in the
    ORM and in the database (migration 0004)."""

    class Source(models.TextChoices):
        STATEMENT_PDF = "statement_pdf", _("Monthly statement (PDF)")
        STATEMENT = "statement", _("Published monthly statement")
        RESULT_NOTICE = "result_notice", _("Result notice of a payment (四议两公开)")

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="anchors",
                                verbose_name=_("account"))
    seq = models.PositiveIntegerField(_("entry number"))
    hash = models.CharField(_("chain hash"), max_length=64)
    source = models.CharField(_("printed on"), max_length=20, choices=Source.choices)
    reference = models.CharField(_("what was printed"), max_length=120, blank=True,
                                 help_text=_("e.g. the month of the statement"))
    printed_at = models.DateTimeField(_("printed at"), default=timezone.now)

    objects = EntryQuerySet.as_manager()
    scope_lookups = {"path": "account__community__path", "unit": "account__unit"}
    view_perm = VIEW

    class Meta:
        ordering = ["account", "seq", "id"]
        verbose_name = _("printed chain head")
        verbose_name_plural = _("printed chain heads")
        constraints = [models.UniqueConstraint(fields=["account", "seq", "hash", "source"],
                                               name="funds_anchor_once")]

    def __str__(self) -> str:
        return f"{self.account_id} #{self.seq} {self.hash}"


class GrantCall(_UnitScoped):
    """微创投: a call for micro-projects funded from an account (FND-6)."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="calls")
    title = models.CharField(_("title"), max_length=200)
    budget_fen = models.BigIntegerField(_("budget (fen)"))
    closes_on = models.DateField(_("closes on"))
    state = models.CharField(max_length=10, choices=CallState.choices, default=CallState.OPEN)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet.as_manager()
    scope_lookups = {"path": "account__community__path", "unit": "account__unit"}
    view_perm = VIEW

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class GrantProposal(ParentScoped, models.Model):
    scope_lookups = {"path": "call__account__community__path", "unit": "call__account__unit"}
    scope_parent = "call"
    view_perm = VIEW

    call = models.ForeignKey(GrantCall, on_delete=models.PROTECT, related_name="proposals")
    title = models.CharField(_("title"), max_length=200)
    applicant = models.CharField(_("applicant (team or organisation)"), max_length=120)
    summary = models.TextField(_("summary"), blank=True)
    requested_fen = models.BigIntegerField(_("requested (fen)"))
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    state = models.CharField(max_length=10, choices=ProposalState.choices, default=ProposalState.SUBMITTED)
    awarded_fen = models.BigIntegerField(default=0)
    award_ref = models.CharField(max_length=200, blank=True)
    request = models.OneToOneField(ExpenditureRequest, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="proposal")
    report = models.TextField(_("final report"), blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet.as_manager()

    def __str__(self) -> str:
        return self.title


class ProposalScore(ParentScoped, AppendOnlyModel):
    """One reviewer's scores for one proposal: points per criterion (choices.CRITERIA), `score` their sum."""
    scope_lookups = {"path": "proposal__call__account__community__path", "unit": "proposal__call__account__unit"}
    scope_parent = "proposal"
    view_perm = VIEW

    proposal = models.ForeignKey(GrantProposal, on_delete=models.PROTECT, related_name="scores")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField()
    criteria = models.JSONField(default=dict, blank=True)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = EntryQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "reviewer"], name="funds_score_once"),
            models.CheckConstraint(condition=Q(score__lte=100), name="funds_score_max"),
        ]


from .fee_models import FeeBill, FeePayment, HouseholdFeePlan  # noqa: E402,F401  (household fees, SVC-13)
