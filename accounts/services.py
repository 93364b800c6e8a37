import contextlib
import secrets
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import APIToken, Department, Language, Role, User, hash_token_key


def user_set_language(*, user: User, language: str) -> User:
    """Save a person's language preference ('' follows the browser)."""
    if language not in Language.values:
        raise ValueError(f"Unknown language: {language!r}")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language", "updated_at"])
    return user


def user_update_profile(
    *, user: User, name: str, email: str, phone: str, language: str, notify_by_email: bool, notify_by_chat: bool
) -> User:
    """Save the fields a person may change about themselves."""
    user.name = name
    user.email = email
    user.phone = phone
    user.language = language
    user.notify_by_email = notify_by_email
    user.notify_by_chat = notify_by_chat
    user._history_user = user  # the author even when no request is there to tell simple_history
    user.full_clean(exclude=["password", "username"])
    user.save()
    return user


def _check_roles(roles: list[str]) -> None:
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValidationError({"roles": _("Unknown roles: %(roles)s") % {"roles": ", ".join(sorted(unknown))}})


@transaction.atomic
def user_create(
    *,
    username: str,
    by: User | None,
    name: str = "",
    email: str = "",
    phone: str = "",
    department: Department | None = None,
    language: str = Language.BROWSER,
    is_active: bool = True,
    roles: list[str] | None = None,
) -> User:
    """Add a person without a usable password (an administrator sets one, or they never sign in)."""
    roles = list(roles or [])
    _check_roles(roles)
    user = User(
        username=username,
        name=name,
        email=email,
        phone=phone,
        department=department,
        language=language,
        is_active=is_active,
    )
    user.set_unusable_password()
    user._history_user = by
    user.full_clean()
    user.save()
    return user_set_roles(user=user, roles=roles)


@transaction.atomic
def user_update(
    *,
    user: User,
    by: User | None,
    username: str,
    name: str,
    email: str,
    phone: str,
    department: Department | None,
    language: str,
    is_active: bool,
    roles: list[str] | None = None,
) -> User:
    """Change a person's details, department and activity, and their roles when given
    (people are deactivated, never deleted, so that history keeps its authors)."""
    if roles is not None:
        _check_roles(roles)
    user.username, user.name, user.email, user.phone = username, name, email, phone
    user.department, user.language, user.is_active = department, language, is_active
    user._history_user = by
    user.full_clean(exclude=["password"])
    user.save()
    if roles is not None:
        user_set_roles(user=user, roles=roles)
    return user


@transaction.atomic
def user_set_roles(*, user: User, roles: list[str]) -> User:
    """Replace a person's role groups."""
    user.groups.set(Group.objects.filter(name__in=roles))
    user.__dict__.pop("_role_names", None)
    return user


# Departments ------------------------------------------------------------------------------


def _save_department(department: Department, *, by: User | None) -> Department:
    department._history_user = by
    department.full_clean()
    department.save()
    return department


@transaction.atomic
def department_create(*, name: str, by: User | None, lead: User | None = None) -> Department:
    """Add a department, with its lead if there is one."""
    return _save_department(Department(name=name, lead=lead), by=by)


@transaction.atomic
def department_update(*, department: Department, by: User | None, name: str, lead: User | None) -> Department:
    """Rename a department or change its lead."""
    department.name, department.lead = name, lead
    return _save_department(department, by=by)


@transaction.atomic
def department_delete(*, department: Department, by: User | None) -> None:
    """Remove a department: its people stay, without a department (its history stays too)."""
    department._history_user = by
    department.delete()


def api_token_create(
    *,
    name: str,
    user: User,
    created_by: User | None = None,
    expires_at: datetime | None = None,
    scope: models.Model | None = None,
) -> tuple[APIToken, str]:
    """Create a token and return it with its key; the key is shown once and never stored.

    `scope` limits what the token reads to one object and what belongs to it (an annual plan);
    None reads everything its owner reads."""
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry must be in the future.")})
    key = APIToken.KEY_PREFIX + secrets.token_urlsafe(32)
    token = APIToken(
        name=name,
        user=user,
        prefix=key[: len(APIToken.KEY_PREFIX) + 8],
        key_hash=hash_token_key(key),
        created_by=created_by,
        expires_at=expires_at,
    )
    if scope is not None:
        token.scope_type = ContentType.objects.get_for_model(scope)
        token.scope_id = scope.pk
    token.full_clean(exclude=["key_hash", "prefix"])
    token.save()
    return token, key


def api_token_revoke(*, token: APIToken) -> APIToken:
    """Revoke a token; a revoked token never authenticates again."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def _uses_key(token: APIToken) -> str:
    # By the key's hash, not the id: an id may be reused (SQLite, a restored backup).
    return f"api-token-uses:{token.key_hash[:32]}"


def api_token_authenticate(*, key: str) -> APIToken | None:
    """Find the active (not revoked, not expired) token for a key and count its use; None when
    there is none.

    The use is written to the token (last used, request count) at most once a
    API_TOKEN_LAST_USED_RESOLUTION_SECONDS, so that a busy BI sync does not write on every
    request; the requests in between are counted in the cache and added then."""
    token = APIToken.objects.active().select_related("user").filter(key_hash=hash_token_key(key)).first()
    if token is None:
        return None
    now = timezone.now()
    resolution = timedelta(seconds=settings.API_TOKEN_LAST_USED_RESOLUTION_SECONDS)
    if token.last_used_at is None or now - token.last_used_at >= resolution:
        pending = _take_pending_uses(token)
        APIToken.objects.filter(pk=token.pk).update(last_used_at=now, request_count=F("request_count") + 1 + pending)
        token.last_used_at = now
        token.request_count += 1 + pending
    else:
        cache.add(_uses_key(token), 0, timeout=None)
        # Evicted between add and incr: that one use is lost, not the request.
        with contextlib.suppress(ValueError):
            cache.incr(_uses_key(token))
    return token


def _take_pending_uses(token: APIToken) -> int:
    """The uses counted in the cache since the last write, taken out of it (atomically: a use
    counted meanwhile stays for the next write)."""
    pending = cache.get(_uses_key(token)) or 0
    if pending:
        try:
            cache.decr(_uses_key(token), pending)
        except ValueError:
            return 0
    return pending


def api_token_allow_request(*, token: APIToken, now: float | None = None) -> tuple[bool, int]:
    """Count a request against the token's rate limit: (allowed, seconds until the window ends).

    A fixed window of a minute: one cache counter per token and minute, created with add() and
    raised with incr(), both atomic in Redis, so concurrent requests never lose a count."""
    now = time.time() if now is None else now
    window = int(now // 60)
    retry_after = max(1, 60 - int(now % 60))
    limit = settings.API_TOKEN_RATE_LIMIT_PER_MINUTE
    if limit <= 0:
        return True, retry_after
    cache_key = f"api-token-rate:{token.key_hash[:32]}:{window}"
    cache.add(cache_key, 0, timeout=120)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # evicted between add and incr
        cache.add(cache_key, 1, timeout=120)
        count = 1
    return count <= limit, retry_after
