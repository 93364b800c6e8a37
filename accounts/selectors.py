from django.db.models import Count, Prefetch, QuerySet

from .models import APIToken, Department, Role, User
from .permissions import ContactDetailsAccess, is_administrator


def user_list() -> QuerySet[User]:
    """People with their department and role groups, ready for a list or the API."""
    return User.objects.select_related("department").prefetch_related("groups").order_by("username")


def department_list() -> QuerySet[Department]:
    """Departments with their lead and head count."""
    return Department.objects.select_related("lead").annotate(member_count=Count("members")).order_by("name")


def department_with_members(*, department_id: int) -> Department | None:
    """One department with its lead and active members."""
    members = User.objects.filter(is_active=True).prefetch_related("groups").order_by("name", "username")
    return (
        Department.objects.select_related("lead")
        .prefetch_related(Prefetch("members", queryset=members, to_attr="active_members"))
        .filter(pk=department_id)
        .first()
    )


def led_departments(*, user: User) -> list[Department]:
    """The departments a person leads: those naming them as lead, else, for someone in the
    department lead role, their own department."""
    led = list(Department.objects.filter(lead=user).order_by("name"))
    if not led and user.department_id and user.has_role(Role.DEPARTMENT_LEAD):
        led = list(Department.objects.filter(pk=user.department_id))
    return led


def contact_details_access(*, user) -> ContactDetailsAccess:
    """Whose e-mail and phone `user` may read (the rule is accounts.permissions'), in two
    queries at most, whatever the user object has cached, so that a list's count is fixed."""
    if not (user and user.is_authenticated):
        return ContactDetailsAccess(viewer_id=None)
    if is_administrator(user) or user.groups.filter(name=Role.MARKETING_MANAGER).exists():
        return ContactDetailsAccess(viewer_id=user.pk, everyone=True)
    led = frozenset(Department.objects.filter(lead=user).values_list("pk", flat=True))
    return ContactDetailsAccess(viewer_id=user.pk, department_ids=led)


def api_token_list(*, user: User) -> QuerySet[APIToken]:
    """The tokens a person manages: every token for an administrator, those they created for a
    marketing manager; newest first, with their owner and creator."""
    tokens = APIToken.objects.select_related("user", "created_by").order_by("-created_at", "-pk")
    return tokens if is_administrator(user) else tokens.filter(created_by=user)
