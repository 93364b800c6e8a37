"""The metric values API: a campaign's owner and marketing managers record one value or a bulk
of them (all or nothing, each problem named by row and field); recording a value again
updates it; values filter by metric, channel, campaign, plan, dates and source."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Role
from plans.models import MetricValue, ValueSource
from tests.api import NOT_MANAGERS, ids, url
from tests.factories import AnnualPlanFactory, CampaignFactory, MetricValueFactory, channel, metric

pytestmark = pytest.mark.django_db


@pytest.fixture
def owned_campaign(make_user):
    """A campaign owned by a staff member, who records its values."""
    return CampaignFactory(owner=make_user(Role.STAFF, username="owner"))


def value_input(campaign, **fields):
    return {"metric": "units_sold", "campaign": campaign.pk, "date": "2026-06-10", "value": "120", **fields}


def test_the_campaign_owner_records_a_value(client_as, owned_campaign):
    client = client_as(owned_campaign.owner)

    response = client.post(url("metric-value-list"), value_input(owned_campaign, channel="online"))

    assert response.status_code == 201, response.json()
    assert response.json() == {"created": 1, "updated": 0}
    value = MetricValue.objects.get()
    assert (value.plan, value.channel, value.value) == (owned_campaign.plan, channel("online"), Decimal("120"))
    assert (value.source, value.recorded_by) == (ValueSource.API, owned_campaign.owner)


def test_recording_the_same_value_again_updates_it(client_as, owned_campaign):
    client = client_as(owned_campaign.owner)
    client.post(url("metric-value-list"), value_input(owned_campaign, value="120"))

    response = client.post(url("metric-value-list"), value_input(owned_campaign, value="150"))

    assert response.status_code == 200
    assert response.json() == {"created": 0, "updated": 1}
    assert list(MetricValue.objects.values_list("value", flat=True)) == [Decimal("150")]


def test_a_bad_single_value_is_refused_naming_the_field(client_as, owned_campaign):
    client = client_as(owned_campaign.owner)

    response = client.post(url("metric-value-list"), value_input(owned_campaign, value="-3"))

    assert response.status_code == 400
    assert "value" in response.json()
    assert MetricValue.objects.count() == 0


def test_a_bulk_of_values_is_recorded_from_a_json_list(client_as, owned_campaign):
    client = client_as(owned_campaign.owner)
    rows = [value_input(owned_campaign, date=f"2026-06-0{day}", value=str(day * 10)) for day in (1, 2, 3)]

    response = client.post(url("metric-value-bulk"), rows)

    assert response.status_code == 201, response.json()
    assert response.json() == {"created": 3, "updated": 0}
    assert sorted(MetricValue.objects.values_list("value", flat=True)) == [Decimal(10), Decimal(20), Decimal(30)]


def test_a_bulk_given_as_an_object_updates_values_already_there(client_as, owned_campaign):
    client = client_as(owned_campaign.owner)
    client.post(url("metric-value-list"), value_input(owned_campaign, date="2026-06-01", value="1"))

    response = client.post(
        url("metric-value-bulk"),
        {"values": [value_input(owned_campaign, date="2026-06-01", value="5"), value_input(owned_campaign)]},
    )

    assert response.status_code == 201, response.json()
    assert response.json() == {"created": 1, "updated": 1}
    assert MetricValue.objects.count() == 2


def test_a_bad_row_names_its_number_and_field_and_nothing_is_recorded(client_as, owned_campaign):
    client = client_as(owned_campaign.owner)
    rows = [value_input(owned_campaign), value_input(owned_campaign, date="2026-06-11", value="-5")]

    response = client.post(url("metric-value-bulk"), rows)

    assert response.status_code == 400
    assert list(response.json()["rows"]) == ["2"]
    assert "value" in response.json()["rows"]["2"]
    assert MetricValue.objects.count() == 0


def test_unknown_codes_and_missing_fields_name_their_row_and_field(client_as, owned_campaign):
    client = client_as(owned_campaign.owner)
    rows = [
        value_input(owned_campaign, metric="happiness"),
        value_input(owned_campaign, channel="moon"),
        {"metric": "units_sold", "campaign": owned_campaign.pk, "value": "1"},
    ]

    response = client.post(url("metric-value-bulk"), rows)

    assert response.status_code == 400
    errors = response.json()["rows"]
    assert (list(errors["1"]), list(errors["2"]), list(errors["3"])) == (["metric"], ["channel"], ["date"])
    assert MetricValue.objects.count() == 0


def test_a_campaign_of_another_plan_is_refused_naming_the_campaign(client_as, owned_campaign):
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(url("metric-value-list"), value_input(owned_campaign, plan=AnnualPlanFactory().pk))

    assert response.status_code == 400
    assert "campaign" in response.json()
    assert MetricValue.objects.count() == 0


def test_a_value_dated_in_the_future_is_refused_naming_the_date(client_as, owned_campaign):
    client = client_as(owned_campaign.owner)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    response = client.post(url("metric-value-list"), value_input(owned_campaign, date=tomorrow))

    assert response.status_code == 400
    assert "date" in response.json()
    assert MetricValue.objects.count() == 0


def test_an_empty_bulk_is_refused_naming_the_values(client_as):
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(url("metric-value-bulk"), {"values": []})

    assert response.status_code == 400
    assert "values" in response.json()


def test_one_row_for_a_campaign_someone_else_owns_refuses_the_whole_bulk(client_as, owned_campaign):
    someone_elses = CampaignFactory(plan=owned_campaign.plan)
    client = client_as(owned_campaign.owner)

    response = client.post(
        url("metric-value-bulk"), [value_input(owned_campaign), value_input(someone_elses, date="2026-06-11")]
    )

    assert response.status_code == 403
    assert "2" in response.json()["detail"]
    assert MetricValue.objects.count() == 0


def test_plan_level_values_are_recorded_by_managers_only(client_as, owned_campaign):
    plan_value = {"metric": "sales_revenue", "plan": owned_campaign.plan.pk, "date": "2026-06-10", "value": "9"}

    by_owner = client_as(owned_campaign.owner).post(url("metric-value-list"), plan_value)
    count_after_owner = MetricValue.objects.count()
    by_manager = client_as(Role.MARKETING_MANAGER).post(url("metric-value-list"), plan_value)

    assert (by_owner.status_code, count_after_owner) == (403, 0)
    assert by_manager.status_code == 201
    assert MetricValue.objects.get().campaign is None


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_people_other_than_the_owner_and_managers_cannot_record_values(client_as, owned_campaign, who):
    client = client_as(who)

    single = client.post(url("metric-value-list"), value_input(owned_campaign))
    bulk = client.post(url("metric-value-bulk"), [value_input(owned_campaign)])

    assert (single.status_code, bulk.status_code) == (403, 403)
    assert MetricValue.objects.count() == 0


def test_a_manager_records_values_for_any_campaign(client_as, owned_campaign):
    client = client_as(Role.MARKETING_MANAGER)

    response = client.post(url("metric-value-bulk"), [value_input(owned_campaign)])

    assert response.status_code == 201
    assert MetricValue.objects.get().recorded_by == client.user


def test_metric_values_filter_by_metric_channel_campaign_and_plan(client_as):
    units = MetricValueFactory(channel=channel("online"))
    sales = MetricValueFactory(metric=metric("sales_revenue"))
    client = client_as(Role.VIEWER)

    assert ids(client.get(url("metric-value-list"), {"metric": "sales_revenue"})) == [sales.pk]
    assert ids(client.get(url("metric-value-list"), {"metric": metric("units_sold").pk})) == [units.pk]
    assert ids(client.get(url("metric-value-list"), {"channel": "online"})) == [units.pk]
    assert ids(client.get(url("metric-value-list"), {"campaign": sales.campaign.pk})) == [sales.pk]
    assert ids(client.get(url("metric-value-list"), {"plan": units.plan.pk})) == [units.pk]


def test_metric_values_filter_by_dates_source_and_recorded_after(client_as):
    campaign = CampaignFactory()
    early = MetricValueFactory(campaign=campaign, date=date(2026, 6, 1), source=ValueSource.IMPORT)
    late = MetricValueFactory(campaign=campaign, date=date(2026, 6, 20), source=ValueSource.API)
    MetricValue.objects.filter(pk=early.pk).update(recorded_at=timezone.now() - timedelta(days=2))
    client = client_as(Role.VIEWER)

    assert ids(client.get(url("metric-value-list"), {"date_after": "2026-06-10"})) == [late.pk]
    assert ids(client.get(url("metric-value-list"), {"date_before": "2026-06-01"})) == [early.pk]
    assert ids(client.get(url("metric-value-list"), {"source": "import"})) == [early.pk]
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert ids(client.get(url("metric-value-list"), {"updated_after": since})) == [late.pk]
