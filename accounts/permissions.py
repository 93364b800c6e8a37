"""Who may do what in accounts: predicates shared by views and API permission classes."""

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


class TokenIsReadOnly(permissions.BasePermission):
    """API tokens are for BI tools: they read, they never write."""

    message = _("API tokens are read-only.")

    def has_permission(self, request, view):
        if isinstance(request.auth, APIToken):
            return request.method in permissions.SAFE_METHODS
        return True


class AdministratorOrReadOnly(permissions.BasePermission):
    message = _("Only administrators may change people and departments.")

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or can_manage_people(request.user)
