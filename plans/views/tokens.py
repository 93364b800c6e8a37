"""The BI tokens page: marketing managers and administrators create read-only API tokens for BI
tools (optionally limited to one plan, optionally expiring), see when each was last used and how
many requests it made, and revoke them. The page is in plans because a token's scope is a plan;
the tokens themselves are accounts'."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import selectors as account_selectors
from accounts import services as account_services
from accounts.models import APIToken
from accounts.permissions import can_manage_api_tokens, can_revoke_api_token
from core.forms import submit

from ..forms import APITokenForm
from ..models import AnnualPlan
from .base import require


def api_tokens(request):
    """The list of tokens and the form that creates one; the new key is shown on the page that
    answers the POST, once, and never stored nor carried to another page."""
    require(can_manage_api_tokens(request.user))
    form = APITokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        result = submit(
            form,
            account_services.api_token_create,
            name=form.cleaned_data["name"],
            user=request.user,
            created_by=request.user,
            expires_at=form.expires_at(),
            scope=form.cleaned_data["plan"],
        )
        if result:
            created = result
            form = APITokenForm()
    tokens = list(account_selectors.api_token_list(user=request.user))
    plans = AnnualPlan.objects.in_bulk({token.scope_id for token in tokens if token.is_scoped})
    for token in tokens:
        token.scope_plan = plans.get(token.scope_id) if token.is_scoped else None
        token.can_revoke = token.revoked_at is None and can_revoke_api_token(request.user, token)
    response = render(
        request,
        "plans/api_tokens.html",
        {
            "form": form,
            "tokens": tokens,
            "new_token": created[0] if created else None,
            "new_key": created[1] if created else None,
        },
        status=201 if created else 200,
    )
    # A page that may hold a secret is never cached, by the browser or a proxy.
    add_never_cache_headers(response)
    return response


@require_POST
def api_token_revoke(request, pk: int):
    token = get_object_or_404(APIToken, pk=pk)
    require(can_revoke_api_token(request.user, token))
    account_services.api_token_revoke(token=token)
    messages.success(request, _("The token “%(name)s” is revoked: it no longer reads anything.") % {"name": token.name})
    return redirect("plans:api_tokens")
