"""`make run`'s preparation: migrate and load the demo only when something changed, and
print the demo logins every time."""

import io

import pytest
from django.core.management import call_command

from accounts.demo import PEOPLE
from accounts.management.commands import prepare_run
from accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def marker_in_tmp(tmp_path, monkeypatch, settings):
    settings.VAR_DIR = tmp_path


@pytest.fixture
def seeds(monkeypatch):
    """Count the times the demo data is loaded."""
    calls = []
    real = prepare_run.call_command

    def counting(name, *args, **kwargs):
        if name == "seed_demo":
            calls.append(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(prepare_run, "call_command", counting)
    return calls


def run() -> str:
    out = io.StringIO()
    call_command("prepare_run", stdout=out)
    return out.getvalue()


def test_the_first_run_loads_the_demo_and_the_second_does_not(seeds):
    first = run()
    second = run()

    assert seeds == ["seed_demo"]
    assert "already loaded" in second
    assert User.objects.filter(username="manager").exists()
    for output in (first, second):
        assert all(f"  {username:<12} {name}" in output for username, name, *_ in PEOPLE)


def test_a_changed_demo_loads_it_again(seeds, monkeypatch):
    run()
    monkeypatch.setattr(prepare_run, "demo_fingerprint", lambda: "changed")

    run()

    assert seeds == ["seed_demo", "seed_demo"]


def test_a_database_without_the_demo_people_is_seeded_again_whatever_the_marker_says(seeds):
    run()
    User.objects.filter(username="viewer").delete()

    run()

    assert seeds == ["seed_demo", "seed_demo"]
    assert User.objects.filter(username="viewer").exists()


def test_it_refuses_production_settings(settings):
    settings.DEMO_DATA_ALLOWED = False

    with pytest.raises(Exception, match="production"):
        run()
