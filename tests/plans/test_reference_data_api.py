"""Channels and the metric dictionary change through plans.services, whoever calls: only
administrators change them through the API, which keeps what a partial change does not send,
records who made each change, and refuses a deletion of what is in use, naming why."""

import pytest
from django.urls import reverse

from plans.models import Channel, Metric
from tests.api import url
from tests.factories import ROLES, TargetFactory, channel, metric

pytestmark = pytest.mark.django_db


def test_a_channel_added_through_the_api_has_the_administrator_as_author(admin_client, admin_user):
    response = admin_client.post(
        reverse("api:channel-list"),
        {"code": "kiosk", "name_en": "Kiosks", "name_zh": "售货亭", "kind": "offline", "parent": "offline"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert Channel.objects.get(code="kiosk").history.get().history_user == admin_user


def test_a_partial_change_to_a_channel_keeps_its_parent_and_records_the_author(admin_client, admin_user):
    stores = channel("stores")
    parent = stores.parent

    response = admin_client.patch(reverse("api:channel-detail", args=[stores.pk]), {"sort_order": 9}, format="json")

    assert response.status_code == 200, response.json()
    stores.refresh_from_db()
    latest = stores.history.first()
    assert (stores.sort_order, stores.parent, latest.history_user) == (9, parent, admin_user)


def test_a_channel_code_already_taken_is_refused_naming_the_field(admin_client):
    response = admin_client.patch(
        reverse("api:channel-detail", args=[channel("stores").pk]), {"code": "ecommerce"}, format="json"
    )

    assert response.status_code == 400
    assert "code" in response.json()


def test_a_channel_with_sub_channels_is_not_deleted(admin_client):
    response = admin_client.delete(reverse("api:channel-detail", args=[channel("offline").pk]))

    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert Channel.objects.filter(code="offline").exists()


def test_a_metric_added_through_the_api_has_the_administrator_as_author(admin_client, admin_user):
    response = admin_client.post(
        reverse("api:metric-list"),
        {"code": "leads", "name_en": "Leads", "name_zh": "线索数", "unit": "count", "aggregation": "sum"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    created = Metric.objects.get(code="leads")
    assert (created.period, created.direction, created.history.get().history_user) == ("daily", "higher", admin_user)


def test_a_partial_change_to_a_metric_keeps_the_rest_and_records_the_author(admin_client, admin_user):
    units = metric("units_sold")

    response = admin_client.patch(reverse("api:metric-detail", args=[units.pk]), {"is_active": False}, format="json")

    assert response.status_code == 200, response.json()
    units.refresh_from_db()
    assert (units.is_active, units.name_en, units.aggregation) == (False, "Units sold", "sum")
    assert units.history.first().history_user == admin_user


def test_an_unused_metric_deleted_through_the_api_keeps_who_deleted_it(admin_client, admin_user):
    unused = Metric.objects.create(code="spare", name_en="Spare", name_zh="备用", unit="count", aggregation="sum")

    response = admin_client.delete(reverse("api:metric-detail", args=[unused.pk]))

    assert response.status_code == 204
    deletion = Metric.history.filter(id=unused.pk).first()
    assert (deletion.history_type, deletion.history_user) == ("-", admin_user)


def test_a_metric_in_use_is_not_deleted_and_says_why(admin_client):
    TargetFactory(metric=metric("units_sold"))

    response = admin_client.delete(reverse("api:metric-detail", args=[metric("units_sold").pk]))

    assert response.status_code == 400
    assert "in use" in response.json()["non_field_errors"][0]


@pytest.mark.parametrize("who", [*ROLES, "token"])
def test_only_administrators_change_channels_and_metrics(client_as, who):
    client = client_as(who)
    channels_before = Channel.objects.count()

    created = client.post(
        url("channel-list"), {"code": "kiosk", "name_en": "Kiosk", "name_zh": "亭", "kind": "offline"}
    )
    changed = client.patch(url("metric-detail", metric("units_sold").pk), {"name_en": "Units"})

    assert (created.status_code, changed.status_code) == (403, 403)
    assert Channel.objects.count() == channels_before
    assert metric("units_sold").name_en == "Units sold"


def test_an_administrator_adds_a_channel_under_a_parent_given_by_code(client_as):
    client = client_as("admin")

    response = client.post(
        url("channel-list"),
        {"code": "kiosk", "name_en": "Kiosks", "name_zh": "售货亭", "kind": "offline", "parent": "offline"},
    )

    assert response.status_code == 201, response.json()
    assert Channel.objects.get(code="kiosk").parent == channel("offline")
    assert response.json()["parent"] == "offline"


def test_a_metric_in_use_cannot_be_deleted(client_as):
    TargetFactory(metric=metric("units_sold"))
    client = client_as("admin")

    response = client.delete(url("metric-detail", metric("units_sold").pk))

    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert Metric.objects.filter(code="units_sold").exists()
