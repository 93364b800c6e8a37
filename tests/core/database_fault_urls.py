"""Views for tests/core/test_database_fault_retries.py: requests that lose their connection
before or after they wrote."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from accounts.models import Department
from tests.database_faults import kill_connection

runs: list[str] = []


@csrf_exempt
@login_not_required
def write_then_lose_the_connection(request):
    runs.append(request.method)
    Department.objects.create(name=f"Written {len(runs)}")
    kill_connection()
    Department.objects.count()
    return HttpResponse("unreachable")


@csrf_exempt
@login_not_required
def always_unreachable(request):
    runs.append(request.method)
    kill_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("unreachable")


urlpatterns = [
    path("write-then-lose/", write_then_lose_the_connection),
    path("always-unreachable/", always_unreachable),
    path("api/v1/always-unreachable/", always_unreachable),
]
