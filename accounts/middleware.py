from django.contrib.auth import middleware as auth_middleware
from django.utils import translation
from rest_framework.views import APIView


class UserLanguageMiddleware:
    """Use a signed-in person's saved language; otherwise LocaleMiddleware's choice
    (the language cookie, then the browser's Accept-Language) stands."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Every page requires login, except views marked ``login_not_required``.

    API views are left to Django REST framework, which authenticates sessions and tokens
    itself and answers 401/403 rather than redirecting to the login page.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_class = getattr(view_func, "cls", None)
        if isinstance(view_class, type) and issubclass(view_class, APIView):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
