import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from .models import APIToken, Department, Language, User, hash_token_key


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
    user.full_clean(exclude=["password", "username"])
    user.save()
    return user


@transaction.atomic
def user_set_roles(*, user: User, roles: list[str]) -> User:
    """Replace a person's role groups."""
    user.groups.set(Group.objects.filter(name__in=roles))
    user.__dict__.pop("_role_names", None)
    return user


def department_set_lead(*, department: Department, lead: User | None) -> Department:
    """Make a person the lead of a department."""
    department.lead = lead
    department.save(update_fields=["lead", "updated_at"])
    return department


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
