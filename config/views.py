"""Project-wide pages: the dashboard, the health check and the error pages."""

import logging

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

from accounts.models import Role
from accounts.permissions import is_administrator, is_executive, is_marketing_manager
from accounts.selectors import department_with_members, led_departments
from core.ids import UnreadableId
from core.middleware import sessionless
from plans.attainment import Status
from plans.permissions import can_approve_plans
from plans.selectors import active_plans, dashboard_campaigns, plan_kpis, plans_to_approve
from tasks.selectors import my_task_summary, team_tasks
from tracking.adjustment_selectors import awaiting_decision
from tracking.selectors import critical_open_alerts, department_issues, user_open_alerts

from .celery import HEARTBEAT_CACHE_KEY

logger = logging.getLogger(__name__)


# The dashboard lists the campaigns under way worst first, at most this many: at the scale of a
# busy year (200 campaigns) the whole list took most of the page's time and told little; the
# plan page lists them all.
DASHBOARD_CAMPAIGNS = 20


def reads_plan_kpis(user) -> bool:
    """Who gets the roll-up of the plans' headline targets: those who steer or watch the plan
    (executives, marketing managers, viewers, administrators), not staff at their tasks."""
    return is_executive(user) or is_marketing_manager(user) or is_administrator(user) or user.has_role(Role.VIEWER)


def dashboard(request):
    """Each role's start page: their tasks; executives the plans' KPIs and every critical alert;
    department leads their people's overdue and blocked tasks and their department's issues."""
    user = request.user
    today = timezone.localdate()
    department = department_with_members(department_id=user.department_id) if user.department_id else None
    plans = list(active_plans())
    executive = is_executive(user)
    led = led_departments(user=user)
    open_alerts = user_open_alerts(user=user)
    campaigns = dashboard_campaigns(today=today)
    return render(
        request,
        "dashboard.html",
        {
            "department": department,
            "plans": plan_kpis(plans=plans, today=today) if reads_plan_kpis(user) else plans,
            "show_kpis": reads_plan_kpis(user),
            "campaigns": campaigns[:DASHBOARD_CAMPAIGNS],
            "more_campaigns": max(len(campaigns) - DASHBOARD_CAMPAIGNS, 0),
            "attainment_statuses": Status,
            "open_alerts": open_alerts,
            # Executives see every critical alert; their own list only when it has something.
            "critical_alerts": critical_open_alerts() if executive else None,
            "show_my_alerts": not executive or open_alerts["count"] > 0,
            "my_tasks": my_task_summary(user=user, today=today),
            "led_departments": led,
            "team": team_tasks(departments=led, today=today) if led else None,
            "issues": department_issues(departments=led) if led else None,
            "plans_to_approve": plans_to_approve() if can_approve_plans(user) else [],
            "adjustments_to_decide": awaiting_decision(user=user, today=today),
        },
    )


def _database_state() -> str:
    """ "ok", "unreachable", or "read-only" when the database answers but refuses writes (a
    failover, a replica promoted late, default_transaction_read_only turned on)."""
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_is_in_recovery() OR current_setting('transaction_read_only') = 'on'")
            elif connection.vendor == "sqlite":
                cursor.execute("PRAGMA query_only")
            else:
                cursor.execute("SELECT 0")
            read_only = bool(cursor.fetchone()[0])
    except Exception:
        logger.exception("Health check: database unreachable")
        return "unreachable"
    return "read-only" if read_only else "ok"


# One Redis client (and its connection pool) per process: the health check pings over a
# connection it already has instead of opening one per request (p50 ~400 ms under load).
_redis_clients: dict[str, redis.Redis] = {}


def _broker_reachable() -> bool:
    url = settings.CELERY_BROKER_URL
    if url.startswith(("redis://", "rediss://", "unix://")):
        return _redis_reachable(url)
    broker = Connection(
        settings.CELERY_BROKER_URL,
        transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        connect_timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT,
    )
    try:
        broker.ensure_connection(
            max_retries=1, interval_start=0, interval_step=0, timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT
        )
    except Exception:
        logger.exception("Health check: broker unreachable")
        return False
    finally:
        broker.release()
    return True


def _redis_reachable(url: str) -> bool:
    client = _redis_clients.get(url)
    if client is None:
        timeout = settings.CELERY_BROKER_CONNECTION_TIMEOUT
        client = _redis_clients[url] = redis.Redis.from_url(
            url, socket_connect_timeout=timeout, socket_timeout=timeout, health_check_interval=30
        )
    try:
        client.ping()
    except Exception:
        logger.exception("Health check: broker unreachable")
        return False
    return True


@sessionless
@login_not_required
@never_cache
@require_GET
def healthz(request):
    """The database's state (reachable and writable) and the broker's reachability as JSON:
    200 when both are fine, 503 otherwise. It answers before the session and the user are
    loaded (core.middleware.SessionlessViewMiddleware), so a session cookie changes nothing."""
    database = _database_state()
    broker = _broker_reachable()
    healthy = database == "ok" and broker
    body = {
        "status": "ok" if healthy else "unavailable",
        "database": database,
        "broker": "ok" if broker else "unreachable",
        "last_heartbeat": _last_heartbeat(),
    }
    return JsonResponse(body, status=200 if healthy else 503)


def _last_heartbeat():
    try:
        return cache.get(HEARTBEAT_CACHE_KEY)
    except Exception:
        return None


def bad_request(request, exception=None):
    """A request the site cannot read (an id that is no id…): say what was wrong when the
    exception was raised to be read by a person (core.ids.UnreadableId)."""
    message = str(exception) if isinstance(exception, UnreadableId) else ""
    return render(request, "400.html", {"message": message}, status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@login_not_required
def server_error(request):
    """Rendered without the request's context: its context processors read the user and the
    bell from the database, which may be what failed."""
    return HttpResponseServerError(render_to_string("500.html"))
