"""Shared models: accounts, the audit trail, notifications and file attachments."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from courtyard.core.access import ScopedQuerySet

from . import pii
from .fields import EncryptedTextField


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete a row that must never change."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows cannot be updated")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} rows cannot be deleted")


class AppendOnlyModel(models.Model):
    """Rows are written once. Corrections are new rows pointing at what they correct."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} rows cannot be deleted")


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    OFFLINE = "offline", _("Offline entry by staff")
    ASSISTED = "assisted", _("Assisted by a digital helper")
    IMPORT = "import", _("Spreadsheet import")
    API = "api", _("API")
    SYSTEM = "system", _("System")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, phone: str, password: str | None = None, **extra):
        normalized = pii.normalize_phone(phone)
        user = self.model(phone=normalized, phone_hash=pii.blind_index("phone", normalized), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, phone: str, password: str | None = None, **extra):
        extra.setdefault("is_superuser", True)
        extra.setdefault("is_staff", True)
        return self.create_user(phone, password, **extra)

    def get_by_phone(self, phone: str) -> User:
        return self.get(phone_hash=pii.phone_index(phone))


class User(AbstractBaseUser, PermissionsMixin):
    """A login. Identified by mobile number; the number itself is stored encrypted."""

    phone = EncryptedTextField(_("mobile number"))
    phone_hash = models.CharField(max_length=64, unique=True, editable=False)
    display_name = models.CharField(_("name"), max_length=100)
    person = models.OneToOneField(
        "org.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="user", verbose_name=_("person")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(default=False, help_text="Unused: the console is role-based.")
    elderly_mode = models.BooleanField(_("elderly mode"), default=False)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, blank=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "phone_hash"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.masked_phone

    @property
    def masked_phone(self) -> str:
        return pii.mask_phone(self.phone)

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name


class AuditQuerySet(AppendOnlyQuerySet, ScopedQuerySet):
    pass


class AuditEvent(AppendOnlyModel):
    """Who did what, when, through which channel and on whose behalf (X-5).

    The foreign keys PROTECT: SET_NULL would be an UPDATE, which the database refuses
    (migration 0003 adds triggers). Users and people are deactivated, never deleted.
    """

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("actor")
    )
    actor_label = models.CharField(_("actor"), max_length=120, blank=True)
    on_behalf_of = models.ForeignKey(
        "org.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("on behalf of")
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.ONLINE)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    community = models.ForeignKey(
        "org.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    # The self-governance unit the object belongs to, if any: a unit's boards read their unit's
    # trail through it, not the whole community's (ADR 0010).
    unit = models.ForeignKey(
        "org.SelfGovernanceUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("self-governance unit"),
    )
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    objects = AuditQuerySet.as_manager()
    scope_lookups = {"path": "community__path", "unit": "unit"}
    view_perm = "core.view_audit"

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"]), models.Index(fields=["community", "-created_at"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"


class RecipientQuerySet(models.QuerySet):
    """Personal rows: a user sees their own (the model names the path to the recipient)."""

    def visible_to(self, user, perm: str | None = None) -> models.QuerySet:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(**{self.model.recipient_lookup: user.pk})


class Notification(models.Model):
    """An in-app message; deliveries to other channels are tracked beside it."""

    recipient_lookup = "recipient"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=64)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = RecipientQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    recipient_lookup = "notification__recipient"

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped (no address)")

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=16)  # email, sms, wechat
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = RecipientQuerySet.as_manager()


def attachment_path(instance: Attachment, filename: str) -> str:
    now = timezone.now()
    return f"attachments/{now:%Y/%m}/{instance.sha256[:2]}/{instance.sha256}{instance.extension}"


class Attachment(models.Model):
    """A checked, stored file. Images are re-encoded without EXIF before storage."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("Photo")
        VIDEO = "video", _("Video")
        PDF = "pdf", _("PDF")
        SPREADSHEET = "spreadsheet", _("Spreadsheet")

    file = models.FileField(upload_to=attachment_path)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    original_name = models.CharField(max_length=255)
    mime_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    owner_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE)
    owner_id = models.CharField(max_length=64, blank=True)
    owner = GenericForeignKey("owner_type", "owner_id")
    # Set only by courtyard.core.file_access.publish (audited): the file is then served to anyone who
    # may see the public page of its owner. Everything else is served only to whoever may see the owner.
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta:
        indexes = [models.Index(fields=["owner_type", "owner_id"])]

    def __str__(self) -> str:
        return self.original_name

    @property
    def url(self) -> str:
        """The only URL a page may show for this file: the authorising view, never MEDIA_URL."""
        from django.urls import reverse

        return reverse("core_file", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

class PasswordResetCode(models.Model):
    """A one-time code sent by SMS so a resident can set a new password (ADR 0010).

    Only a keyed hash of the code is stored; the code itself exists in the SMS alone (never in
    the inbox, the log or the audit trail). A code works once, for COURTYARD_RESET_CODE_MINUTES,
    and dies after a few wrong tries; a new code replaces the old one.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    failed_tries = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"reset code for user {self.user_id}"


class ExportJobQuerySet(models.QuerySet):
    def visible_to(self, user, perm: str | None = None) -> models.QuerySet:
        """An export is seen only by the person who asked for it (it holds their scoped rows)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(requested_by=user)


class ExportJob(models.Model):
    """A spreadsheet export too large to build inside a request (console/exports.py). Only the
    person who asked may see its progress or download it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", pgettext_lazy("export", "Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    list_path = models.CharField(max_length=200)
    params = models.JSONField(default=dict, blank=True)
    title = models.CharField(max_length=200)
    filename = models.CharField(max_length=200)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    content = models.BinaryField(null=True, blank=True, editable=False)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)
