"""What an alert says and in which language: its summary in English and Chinese, shown in the
reader's."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from tests.factories import CampaignFactory, MetricValueFactory, TargetFactory, metric
from tracking import evaluation
from tracking.models import Alert, Threshold

pytestmark = pytest.mark.django_db


def test_an_alert_is_worded_in_english_and_chinese_and_shown_in_the_readers_language(client, manager):
    campaign = CampaignFactory(owner=manager, start_date=date(2026, 6, 1), end_date=date(2026, 6, 30))
    target = TargetFactory(campaign=campaign, metric=metric("units_sold"), target_value=Decimal(3000))
    MetricValueFactory(campaign=campaign, metric=target.metric, date=date(2026, 6, 1), value=Decimal(10))
    Threshold.objects.create(
        kind="attainment_below", target=target, campaign=campaign, percent=Decimal(80), paced=False
    )

    evaluation.evaluate_all()

    alert = Alert.objects.get()
    assert "Units sold" in alert.summary
    assert "销量" in alert.summary_zh
    with translation.override("zh-hans"):
        assert alert.headline == alert.summary_zh
    client.force_login(manager)
    page = client.get(alert.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert alert.summary_zh.split(":")[0][:6] in page
