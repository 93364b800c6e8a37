"""Who may do what in accounts: predicates shared by views and API permission classes."""

from collections.abc import Collection
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from .models import APIToken, Role


def is_administrator(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.is_staff))


def is_marketing_manager(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.has_role(Role.MARKETING_MANAGER)))


def is_executive(user) -> bool:
    return bool(user and user.is_authenticated and user.has_role(Role.EXECUTIVE))


def can_manage_people(user) -> bool:
    """Users and departments are edited by administrators only."""
    return is_administrator(user)


def can_manage_api_tokens(user) -> bool:
    """Marketing managers and administrators create and revoke read-only tokens for BI tools."""
    return is_administrator(user) or is_marketing_manager(user)


def can_revoke_api_token(user, token: APIToken) -> bool:
    """Administrators revoke any token; a marketing manager the tokens they created."""
    if is_administrator(user):
        return True
    return is_marketing_manager(user) and token.created_by_id == user.pk


def is_api_token(auth) -> bool:
    """Whether a request is a BI tool's, authenticated by an API token."""
    return isinstance(auth, APIToken)


# Contact details (e-mail, phone) go to those who manage people: administrators, marketing
# managers (who staff campaigns and assign their tasks) and, for the members of their own
# department, the department's lead (Department.lead). Everyone sees their own. Colleagues,
# executives, viewers and BI tokens see names and departments only.


def sees_all_contact_details(user) -> bool:
    """Administrators and marketing managers read everyone's e-mail and phone."""
    return is_administrator(user) or is_marketing_manager(user)


def can_see_department_contact_details(user, department) -> bool:
    """Whether a person reads the contact details of a department's members."""
    return sees_all_contact_details(user) or bool(department and user and department.lead_id == user.pk)


@dataclass(frozen=True)
class ContactDetailsAccess:
    """Whose contact details a person may read, settled once per request (see
    accounts.selectors.contact_details_access)."""

    viewer_id: int | None
    everyone: bool = False
    department_ids: Collection[int] = frozenset()

    def allows(self, person) -> bool:
        return (
            self.everyone
            or (self.viewer_id is not None and person.pk == self.viewer_id)
            or (person.department_id is not None and person.department_id in self.department_ids)
        )


class TokenIsReadOnly(permissions.BasePermission):
    """API tokens are for BI tools: they read, they never write."""

    message = _("API tokens are read-only.")

    def has_permission(self, request, view):
        if is_api_token(request.auth):
            return request.method in permissions.SAFE_METHODS
        return True


class AdministratorOrReadOnly(permissions.BasePermission):
    message = _("Only administrators may change people and departments.")

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or can_manage_people(request.user)
