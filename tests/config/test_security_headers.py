"""Production answers with a strict Content-Security-Policy, a Permissions-Policy and a Secure
language cookie (run in a process of its own with config.settings.production, as a deployment
would start)."""

import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]

# In the production process: an in-memory database, plain static file names (no collectstatic),
# then the login page and a profile save over https.
SCRIPT = """
import json
import django
django.setup()
from django.core.management import call_command
from django.test import Client
from django.test.utils import override_settings
call_command("migrate", verbosity=0)
from accounts.models import User
user = User.objects.create_user("li", password="x-long-enough-password")
plain = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
with override_settings(STORAGES=plain):
    client = Client()
    login = client.get("/accounts/login/", secure=True)
    client.force_login(user)
    saved = client.post("/accounts/profile/", {"name": "Li", "email": "", "language": "zh-hans"}, secure=True)
cookie = saved.cookies["language"]
print(json.dumps({
    "status": login.status_code,
    "headers": dict(login.headers),
    "cookie": {"value": cookie.value, "secure": cookie["secure"], "samesite": cookie["samesite"]},
}))
"""


def _production_answers() -> dict:
    env = {
        **{key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "x7-Jq2mVb9Lr4Tz8Nc1Pw6Hk3Ys5Ud0Fg-Ea2Bo7Ci9Dl4Em1Fn8Go3Hp6Iq0Jr",
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": "sqlite:///:memory:",
        "LOG_LEVEL": "WARNING",
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=180, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_sends_a_strict_policy_a_permissions_policy_and_a_secure_language_cookie():
    answers = _production_answers()
    headers = answers["headers"]

    assert answers["status"] == 200
    directives = [directive.partition(" ") for directive in headers["Content-Security-Policy"].split("; ")]
    policy = {name: sources for name, _space, sources in directives}
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert policy["base-uri"] == "'self'"
    assert "upgrade-insecure-requests" in policy
    assert not any("unsafe" in sources for sources in policy.values())
    permissions = headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["X-Frame-Options"] == "DENY"
    assert answers["cookie"] == {"value": "zh-hans", "secure": True, "samesite": "Lax"}
