"""Middleware every app shares."""

import logging
import sys
import time
from contextlib import ExitStack

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext as _

from .database_faults import DatabaseFault, database_fault

logger = logging.getLogger(__name__)

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# Statements that write nothing: a request that ran only these before its connection dropped
# committed nothing, so running it again cannot save anything twice.
READING_STATEMENTS = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "SET", "SHOW")
# A dropped connection is often back at once (PostgreSQL restarted, an idle connection cut):
# wait this long, then run the request once more.
RETRY_PAUSE_SECONDS = 0.5
# What a 503 asks clients (and load balancers) to wait before trying again.
RETRY_AFTER_SECONDS = 15


class PermissionsPolicyMiddleware:
    """Send the Permissions-Policy header (settings.PERMISSIONS_POLICY: feature -> allowed
    origins, empty for none), so no page, nor anything injected into one, can use the camera,
    the microphone, the location… that the product never needs. Django has no setting for it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(origins)})" for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


def sessionless(view):
    """Mark a view that must answer without the session, the user or anything else that needs
    the database (a health probe): SessionlessViewMiddleware calls it before those are loaded."""
    view.sessionless = True
    return view


class SessionlessViewMiddleware:
    """Answer views marked ``sessionless`` before the session, authentication and language
    middleware run, so a session cookie cannot make them load (or save) anything, and they
    answer the same whoever asks, even while the database is down. Sits before SessionMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        if getattr(match.func, "sessionless", False):
            return match.func(request, *match.args, **match.kwargs)
        return self.get_response(request)


def remember_database_fault(sender, request=None, **kwargs):
    """got_request_exception receiver: note on the request that it failed because the
    database is out of reach or read-only, wherever that was raised (a view, the session
    loaded by a middleware…), for DatabaseFaultMiddleware to answer."""
    fault = database_fault(sys.exc_info()[1])
    if fault is not None and request is not None:
        request.database_fault = fault


class _WriteWatch:
    """Execute wrapper that notes whether a statement that may write has run."""

    def __init__(self):
        self.wrote = False

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not sql.lstrip().upper().startswith(READING_STATEMENTS):
            self.wrote = True
        return result


class DatabaseFaultMiddleware:
    """A request that fails because the database is out of reach or read-only never answers
    a 500: it answers a clear 503 page in the reader's language (JSON under /api/), saying
    whether nothing was saved (read-only) or to check before sending again (out of reach).

    A dropped connection is retried once, after a short pause, when running the request again
    cannot save anything twice: a GET, HEAD or OPTIONS, or any request that had run no
    statement that writes when its connection failed (so nothing of it can have been committed).
    Sits before SessionMiddleware, so a session loaded while the database is down is covered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response, fault, wrote = self._respond(request)
        if fault == DatabaseFault.UNREACHABLE and self._may_retry(request, wrote):
            logger.warning("Database unreachable during %s %s; trying once more.", request.method, request.path)
            _drop_broken_connections()
            time.sleep(RETRY_PAUSE_SECONDS)
            _rewind_uploads(request)
            response, fault, _wrote = self._respond(request)
        if fault is None:
            return response
        logger.warning("Database %s during %s %s: answered 503.", fault, request.method, request.path)
        return unavailable_response(request, fault)

    def _respond(self, request):
        request.database_fault = None
        watch = _WriteWatch()
        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(watch))
            response = self.get_response(request)
        return response, request.database_fault, watch.wrote

    def _may_retry(self, request, wrote: bool) -> bool:
        if any(connection.in_atomic_block for connection in connections.all(initialized_only=True)):
            return False  # the connection belongs to an enclosing transaction (a test's)
        return request.method in SAFE_METHODS or not wrote


def _drop_broken_connections() -> None:
    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except DatabaseError:
            connection.connection = None


def _rewind_uploads(request) -> None:
    for _name, files in request.FILES.lists():
        for upload in files:
            upload.seek(0)
    request.__dict__.pop("_cached_user", None)


def unavailable_response(request, fault: DatabaseFault) -> HttpResponse:
    """The 503 for a database that is out of reach or read-only, in the reader's language,
    rendered without the database (no context processors, no user)."""
    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language_from_request(request)
    with translation.override(language):
        if fault == DatabaseFault.READ_ONLY:
            title = _("The system is read-only for a moment")
            message = _("Nothing was saved. Please try again in a minute.")
        else:
            title = _("The database is out of reach for a moment")
            message = _(
                "Please try again in a minute. If you were saving something, check whether it was "
                "saved before you send it again."
            )
        if request.path_info.startswith("/api/"):
            response = JsonResponse({"detail": f"{title}. {message}", "database": str(fault)}, status=503)
        else:
            response = HttpResponse(
                render_to_string("503.html", {"title": title, "message": message, "fault": str(fault)}), status=503
            )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Content-Language"] = language
    return response
