import pytest
from django.core.exceptions import ValidationError

from plans import services
from plans.models import ChannelKind
from plans.services import MetricInput
from tests.factories import TargetFactory, channel, metric

pytestmark = pytest.mark.django_db


def test_channel_update_records_its_author_without_a_request(admin_user):
    stores = channel("stores")

    services.channel_update(
        channel=stores,
        by=admin_user,
        code="stores",
        name_en="Own stores",
        name_zh=stores.name_zh,
        kind=ChannelKind.OFFLINE,
        parent=stores.parent,
        sort_order=stores.sort_order,
    )

    latest = stores.history.first()
    assert (latest.name_en, latest.history_user) == ("Own stores", admin_user)


def test_channel_create_refuses_a_code_already_taken_naming_the_field(admin_user):
    with pytest.raises(ValidationError) as caught:
        services.channel_create(
            code="stores", name_en="Stores", name_zh="门店", kind=ChannelKind.OFFLINE, by=admin_user
        )

    assert list(caught.value.message_dict) == ["code"]


def test_metric_create_refuses_an_unknown_aggregation_naming_the_field(admin_user):
    data = MetricInput(code="leads", name_en="Leads", name_zh="线索数", unit="count", aggregation="median")

    with pytest.raises(ValidationError) as caught:
        services.metric_create(data=data, by=admin_user)

    assert list(caught.value.message_dict) == ["aggregation"]


def test_metric_delete_refuses_a_metric_in_use(admin_user):
    TargetFactory(metric=metric("units_sold"))

    with pytest.raises(ValidationError):
        services.metric_delete(metric=metric("units_sold"), by=admin_user)

    assert metric("units_sold").pk
