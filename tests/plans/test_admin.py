"""The admin's forms for channels and metrics save through plans.services."""

import pytest
from django.urls import reverse

from plans.models import Channel, Metric

pytestmark = pytest.mark.django_db


def test_the_admin_adds_a_channel_with_its_author_in_history(client, admin_user):
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:plans_channel_add"),
        {"code": "kiosk", "name_en": "Kiosks", "name_zh": "售货亭", "kind": "offline", "parent": "", "sort_order": 3},
    )

    assert response.status_code == 302
    created = Channel.objects.get(code="kiosk")
    assert response["Location"] == reverse("admin:plans_channel_changelist")
    assert created.history.get().history_user == admin_user


def test_the_admin_changes_a_metric(client, admin_user):
    units = Metric.objects.get(code="units_sold")
    client.force_login(admin_user)
    form = {
        field: getattr(units, field)
        for field in ["code", "name_en", "name_zh", "unit", "definition", "data_source", "period", "aggregation"]
    }

    response = client.post(
        reverse("admin:plans_metric_change", args=[units.pk]),
        {**form, "direction": "higher", "name_en": "Units", "is_active": "on"},
    )

    assert response.status_code == 302
    units.refresh_from_db()
    assert (units.name_en, units.history.first().history_user) == ("Units", admin_user)


def test_the_admin_deletes_an_unused_channel(client, admin_user):
    unused = Channel.objects.create(code="spare", name_en="Spare", name_zh="备用", kind="offline")
    client.force_login(admin_user)

    response = client.post(reverse("admin:plans_channel_delete", args=[unused.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Channel.objects.filter(code="spare").exists()
