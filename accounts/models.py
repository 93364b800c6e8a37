import hashlib
import hmac

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    """The role groups; their names are the Django group names, created by a migration."""

    MARKETING_MANAGER = "marketing_manager", _("Marketing manager")
    EXECUTIVE = "executive", _("Executive")
    STAFF = "staff", _("Staff")
    DEPARTMENT_LEAD = "department_lead", _("Department lead")
    VIEWER = "viewer", _("Viewer")


# The roles whose people carry tasks, as Responsible or Accountable: not viewers (they read),
# nor an account with no role such as the administrator's.
TASK_CARRIER_ROLES = frozenset({Role.MARKETING_MANAGER, Role.EXECUTIVE, Role.STAFF, Role.DEPARTMENT_LEAD})


class Language(models.TextChoices):
    BROWSER = "", _("Browser's language")
    ENGLISH = "en", "English"
    CHINESE = "zh-hans", "简体中文"


class Department(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_departments",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_default=Now(), db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self):
        return self.name


class UserQuerySet(models.QuerySet):
    def with_role(self, role: str):
        return self.filter(groups__name=role)

    def active(self):
        return self.filter(is_active=True)

    def task_carriers(self):
        """Active people who may be a task's Responsible or Accountable (see TASK_CARRIER_ROLES)."""
        carriers = self.model.objects.filter(groups__name__in=TASK_CARRIER_ROLES).values("pk")
        return self.filter(is_active=True, pk__in=carriers)


class UserManagerWithQueries(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person: staff member, manager, executive, or the service account of a BI tool."""

    # One full name rather than first/last: Chinese names do not split that way.
    name = models.CharField(_("name"), max_length=150, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=Language.choices,
        blank=True,
        default=Language.BROWSER,
        help_text=_("The language of pages and messages; empty follows the browser."),
    )
    notify_by_email = models.BooleanField(_("notify by e-mail"), default=True)
    notify_by_chat = models.BooleanField(_("notify by chat webhook"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_default=Now(), db_index=True)
    history = HistoricalRecords(excluded_fields=["password", "last_login", "updated_at"])

    objects = UserManagerWithQueries()

    class Meta(AbstractUser.Meta):
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("accounts:profile")

    @property
    def display_name(self) -> str:
        return self.name or self.get_full_name() or self.username

    def has_role(self, role: str) -> bool:
        """Whether the user is in a role group; cached per instance for templates."""
        return role in self.role_names

    @property
    def role_names(self) -> set[str]:
        if not hasattr(self, "_role_names"):
            self._role_names = {group.name for group in self.groups.all()}
        return self._role_names

    @property
    def can_carry_tasks(self) -> bool:
        """Whether the person may be a task's Responsible or Accountable (see TASK_CARRIER_ROLES)."""
        return self.is_active and bool(self.role_names & TASK_CARRIER_ROLES)

    @property
    def role_labels(self) -> list[str]:
        return [label for value, label in Role.choices if value in self.role_names]


def hash_token_key(key: str) -> str:
    """SHA-256 of a token key: keys are long random strings, so no salt is needed."""
    return hashlib.sha256(key.encode()).hexdigest()


class APITokenQuerySet(models.QuerySet):
    def active(self, *, now=None):
        """Tokens that authenticate: not revoked, not expired, their owner active."""
        now = now or timezone.now()
        return self.filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now),
            revoked_at__isnull=True,
            user__is_active=True,
        )


class APIToken(models.Model):
    """A read-only API token for a BI tool. Only a hash of the key is stored."""

    KEY_PREFIX = "mpt_"

    name = models.CharField(_("name"), max_length=100, help_text=_("What uses it, e.g. “Power BI sales dashboard”."))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
        help_text=_("The token reads what this user may read."),
    )
    prefix = models.CharField(_("prefix"), max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    request_count = models.PositiveBigIntegerField(_("requests"), default=0, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(
        _("expires at"), null=True, blank=True, help_text=_("Empty: the token never expires (revoke it instead).")
    )
    # What the token may read: everything its owner reads (no scope), or one object of a higher
    # layer and what belongs to it (an annual plan: accounts cannot name plans' models). The
    # API enforces it in one place, accounts.api.scope.
    scope_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("scope type"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    scope_id = models.PositiveBigIntegerField(_("scope id"), null=True, blank=True)

    objects = APITokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scope_type__isnull=True, scope_id__isnull=True)
                | models.Q(scope_type__isnull=False, scope_id__isnull=False),
                name="api_token_scope_complete",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_scoped(self) -> bool:
        return self.scope_id is not None

    def matches(self, key: str) -> bool:
        return hmac.compare_digest(self.key_hash, hash_token_key(key))
