"""The dashboard's task counts read clearly: each figure above its own label, never “0 7 天内到期”."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def test_each_count_and_its_label_are_apart_in_chinese(client, staff_user):
    staff_user.language = "zh-hans"
    staff_user.save()
    TaskFactory(responsible=staff_user, due_date=timezone.localdate() + timedelta(days=3))
    client.force_login(staff_user)

    html = client.get(reverse("dashboard")).content.decode()

    summary = html[html.index('id="my-tasks-summary"') :]
    counts = re.findall(r'<span class="stat-value[^"]*">(\d+)</span><span class="stat-label">([^<]+)</span>', summary)
    assert counts == [("0", "已逾期"), ("0", "受阻"), ("1", "7 天内到期")]
    assert not re.search(r"\d\s*7 天内到期", re.sub(r"<[^>]+>", " ", summary).replace("  ", " ").split("更新")[0])
