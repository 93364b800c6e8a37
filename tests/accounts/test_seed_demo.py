import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import override_settings

from accounts.models import Department, Role, User

pytestmark = pytest.mark.django_db


def snapshot():
    """Every row of every table of the project's apps (history tables included)."""
    from django.apps import apps

    rows = {}
    for app in ("accounts", "plans", "tasks", "tracking", "reviews"):
        for model in apps.get_app_config(app).get_models():
            rows[model._meta.label] = list(model.objects.order_by("pk").values())
    rows["memberships"] = list(User.groups.through.objects.order_by("pk").values())
    return rows


def test_seed_demo_twice_gives_the_same_rows():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = snapshot()
    assert first["plans.Campaign"]
    assert first["tasks.Task"]
    assert first["tracking.Threshold"]

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert snapshot() == first


def test_seed_demo_creates_the_departments_and_people_the_template_names(capsys):
    call_command("seed_demo")

    names = set(Department.objects.values_list("name", flat=True))
    assert {"电商运营部", "市场推广部", "渠道管理部", "产品部", "设计部", "销售部", "供应链部"} <= names
    assert User.objects.get(username="manager").has_role(Role.MARKETING_MANAGER)
    assert User.objects.get(username="executive").has_role(Role.EXECUTIVE)
    assert User.objects.with_role(Role.STAFF).count() >= 2
    assert Department.objects.get(name="电商运营部").lead.username == "ecom_lead"
    assert User.objects.get(username="manager").check_password("demo-pass-2026")
    assert "manager" in capsys.readouterr().out


@override_settings(DEMO_DATA_ALLOWED=False)
def test_seed_demo_refuses_to_run_with_production_settings():
    with pytest.raises(CommandError, match="refuses to run with production settings"):
        call_command("seed_demo")

    assert not User.objects.filter(username="manager").exists()
    assert Group.objects.count() == len(Role.values)
