from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .models import APIToken
from .services import api_token_authenticate

# Query parameters a client might put a key in. A key in a URL lands in server and proxy logs,
# browser history and Referer headers: such a request is refused, whatever else it carries.
KEY_PARAMETERS = frozenset({"token", "key", "api_key", "apikey", "access_token", "auth_token"})


def key_in_url(request) -> bool:
    """Whether the request's URL carries an API key (by parameter name, or a value that looks like one)."""
    params = request.query_params
    return bool(KEY_PARAMETERS & {name.lower() for name in params}) or any(
        value.startswith(APIToken.KEY_PREFIX) for values in params.lists() for value in values[1]
    )


class APITokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Token <key>`` (or ``Bearer <key>``) with a hashed, revocable API token;
    never a key in the URL (refused with a 401)."""

    keywords = ("token", "bearer")

    def authenticate(self, request):
        if key_in_url(request):
            raise exceptions.AuthenticationFailed(
                _("API tokens are accepted only in the Authorization header, never in a URL.")
            )
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace").lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header: give the keyword and the key."))
        try:
            key = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(_("Invalid token header.")) from exc
        token = api_token_authenticate(key=key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        return token.user, token

    def authenticate_header(self, request):
        return "Token"
