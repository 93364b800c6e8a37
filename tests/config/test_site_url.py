"""Links in e-mails and chat messages point where `make run` serves: SITE_URL follows
WEB_PORT unless it is set."""

from tests.config.test_settings import run_python

PRINT_SITE_URL = "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"


def test_site_url_follows_web_port_when_it_is_not_set():
    result = run_python(PRINT_SITE_URL, "config.settings.local", WEB_PORT="8101", SITE_URL="")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "http://127.0.0.1:8101"


def test_site_url_defaults_to_port_8000():
    result = run_python(PRINT_SITE_URL, "config.settings.local")

    assert result.stdout.strip().splitlines()[-1] == "http://127.0.0.1:8000"


def test_an_explicit_site_url_wins_over_web_port():
    result = run_python(
        PRINT_SITE_URL, "config.settings.local", WEB_PORT="8101", SITE_URL="https://tracker.example.com/"
    )

    assert result.stdout.strip().splitlines()[-1] == "https://tracker.example.com"
