"""The rate limit of API tokens: API_TOKEN_RATE_LIMIT_PER_MINUTE requests a minute per token,
counted in the cache (Redis in production) in fixed one-minute windows; the request past the
limit answers 429 with Retry-After (the seconds left in the window). Sessions are not limited."""

from rest_framework.throttling import BaseThrottle

from .permissions import is_api_token
from .services import api_token_allow_request


class APITokenRateThrottle(BaseThrottle):
    def allow_request(self, request, view):
        if not is_api_token(request.auth):
            return True
        allowed, self.retry_after = api_token_allow_request(token=request.auth)
        return allowed

    def wait(self):
        return getattr(self, "retry_after", None)
