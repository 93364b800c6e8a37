"""A scoped API token reads only its scope (one annual plan and what belongs to it), enforced
here for the whole API: a permission that refuses endpoints which have not said how their rows
belong to a plan, and a filter backend that keeps, in lists and details alike, only the rows of
the token's plan.

An endpoint says it with ``token_scope``, lookups from its rows to the plan's id, OR-ed (a
target belongs to a plan directly or through its campaign): ``token_scope = ("plan",
"campaign__plan")``; ``token_scope = ()`` marks reference data every token reads (metrics,
channels, departments, people). An endpoint without it is refused to a scoped token (fail
closed): a new endpoint never leaks another plan's rows by being forgotten.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework import filters, permissions

from ..permissions import is_api_token

UNSCOPED = None


def token_scope_id(request) -> int | None:
    """The id of the plan a request's token is limited to; None when it reads everything."""
    auth = getattr(request, "auth", None)
    if is_api_token(auth) and auth.is_scoped:
        return auth.scope_id
    return None


class TokenScopeFilter(filters.BaseFilterBackend):
    """Only the rows of a scoped token's plan (lists and details: get_object filters too)."""

    def filter_queryset(self, request, queryset, view):
        scope_id = token_scope_id(request)
        if scope_id is None:
            return queryset
        lookups = getattr(view, "token_scope", UNSCOPED)
        if lookups is UNSCOPED:
            return queryset.none()
        if not lookups:
            return queryset
        condition = Q()
        for lookup in lookups:
            condition |= Q(**{lookup: scope_id})
        return queryset.filter(condition)


class TokenScopePermission(permissions.BasePermission):
    """A scoped token reaches only the endpoints that declare how their rows belong to a plan
    and filter by it (TokenScopeFilter among their filter backends)."""

    message = _("This token is limited to one plan; this endpoint does not serve a plan's data.")

    def has_permission(self, request, view):
        if token_scope_id(request) is None:
            return True
        lookups = getattr(view, "token_scope", UNSCOPED)
        if lookups is UNSCOPED:
            return False
        if not lookups:
            return True
        return TokenScopeFilter in getattr(view, "filter_backends", ())
