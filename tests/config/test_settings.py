import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]

PRINT_SETTINGS = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], 'name': str(s.DATABASES['default']['NAME']), "
    "'broker': s.CELERY_BROKER_URL, 'backend': s.CELERY_RESULT_BACKEND, "
    "'queue': s.CELERY_BROKER_TRANSPORT_OPTIONS.get('data_folder_in', ''), 'debug': s.DEBUG}))"
)


def run_python(code: str, settings_module: str, **env_overrides: str):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "SECRET_KEY"}
    }
    env.update(DJANGO_SETTINGS_MODULE=settings_module, **env_overrides)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_with_nothing_set_the_app_runs_on_sqlite_and_the_filesystem_broker_in_var():
    result = run_python(PRINT_SETTINGS, "config.settings.local")

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(BASE_DIR / "var" / "db.sqlite3")
    assert values["broker"] == "filesystem://"
    assert values["queue"] == str(BASE_DIR / "var" / "celery" / "queue")
    assert values["backend"].startswith("file://")


def test_database_url_and_redis_url_switch_to_postgresql_and_redis():
    result = run_python(
        PRINT_SETTINGS,
        "config.settings.local",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/somewhere",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "somewhere"
    assert values["broker"] == "redis://127.0.0.1:6379/3"
    assert values["backend"] == "redis://127.0.0.1:6379/3"


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = run_python("import django; django.setup()", "config.settings.production")

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_settings_pass_check_deploy_with_no_warnings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env={
            **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}},
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "x7-Jq2mVb9Lr4Tz8Nc1Pw6Hk3Ys5Ud0Fg-Ea2Bo7Ci9Dl4Em1Fn8Go3Hp6Iq0Jr",
            "ALLOWED_HOSTS": "tracker.example.com",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_keeps_database_connections_and_checks_them_before_reuse():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "d = settings.DATABASES['default']; print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    result = run_python(code, "config.settings.production", SECRET_KEY="x" * 50)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["60", "True"]
