import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
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


def api_token_create(*, name: str, user: User, created_by: User | None = None) -> tuple[APIToken, str]:
    """Create a token and return it with its key; the key is shown once and never stored."""
    key = APIToken.KEY_PREFIX + secrets.token_urlsafe(32)
    token = APIToken.objects.create(
        name=name,
        user=user,
        prefix=key[: len(APIToken.KEY_PREFIX) + 8],
        key_hash=hash_token_key(key),
        created_by=created_by,
    )
    return token, key


def api_token_revoke(*, token: APIToken) -> APIToken:
    """Revoke a token; a revoked token never authenticates again."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(*, key: str) -> APIToken | None:
    """Find the active token for a key and record its use; None when there is none."""
    token = APIToken.objects.active().select_related("user").filter(key_hash=hash_token_key(key)).first()
    if token is None:
        return None
    now = timezone.now()
    resolution = timedelta(seconds=settings.API_TOKEN_LAST_USED_RESOLUTION_SECONDS)
    if token.last_used_at is None or now - token.last_used_at >= resolution:
        APIToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
