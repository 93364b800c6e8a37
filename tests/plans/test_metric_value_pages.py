"""The form that records a campaign's metrics for a day: several at once, again to update them,
none if one is impossible; only the owner and marketing managers record."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from plans.models import MetricValue
from tests.factories import channel
from tests.plans.pages import READ_ONLY_ROLES, login

pytestmark = pytest.mark.django_db


def test_the_owner_records_several_metrics_for_one_day(client, manager, campaign):
    client.force_login(manager)
    day = timezone.localdate() - timedelta(days=1)

    response = client.post(
        reverse("plans:metric_values_record", args=[campaign.pk]),
        {
            "date": day.isoformat(),
            "channel": channel("online").pk,
            "metric_units_sold": "600",
            "metric_new_members": "380",
        },
    )

    assert response.status_code == 302
    assert MetricValue.objects.filter(campaign=campaign, date=day).count() == 2
    # Entering the same day again updates.
    client.post(
        reverse("plans:metric_values_record", args=[campaign.pk]),
        {"date": day.isoformat(), "channel": channel("online").pk, "metric_units_sold": "650"},
    )
    assert MetricValue.objects.get(campaign=campaign, date=day, metric__code="units_sold").value == Decimal(650)
    assert MetricValue.objects.filter(campaign=campaign, date=day).count() == 2


def test_an_impossible_value_is_refused_naming_the_metric_and_nothing_is_saved(client, manager, campaign):
    client.force_login(manager)

    response = client.post(
        reverse("plans:metric_values_record", args=[campaign.pk]),
        {"date": timezone.localdate().isoformat(), "metric_units_sold": "-5", "metric_conversion_rate": "3"},
    )

    assert response.status_code == 200
    assert "Units sold cannot be negative." in response.content.decode()
    assert not MetricValue.objects.exists()


@pytest.mark.parametrize("role", READ_ONLY_ROLES)
def test_other_roles_cannot_record_metric_values(client, make_user, campaign, role):
    login(client, make_user, role)

    response = client.post(
        reverse("plans:metric_values_record", args=[campaign.pk]),
        {"date": timezone.localdate().isoformat(), "metric_units_sold": "5"},
    )

    assert response.status_code == 403
    assert not MetricValue.objects.exists()
