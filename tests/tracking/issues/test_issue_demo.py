"""The demo's register: the launch campaign has the issue opened from the alert on online
sales (linked to it) and the one about design material arriving late (the blocked task's
reason, that task affected); seeding again changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from tasks.models import TaskStatus
from tracking.models import Alert, Issue

pytestmark = pytest.mark.django_db


def test_the_launch_campaign_has_its_two_issues_and_a_second_seed_changes_nothing(client):
    call_command("seed_demo", stdout=StringIO())

    online = Alert.objects.get(threshold__target__channel__code="online")
    from_alert = online.issue
    assert from_alert is not None
    assert from_alert.campaign == online.campaign
    assert from_alert.occurred_at == online.opened_at
    assert from_alert.department.name == "电商运营部"
    assert from_alert.owner.username == "ecom_lead"

    design = Issue.objects.exclude(pk=from_alert.pk).get(campaign=online.campaign)
    blocked = design.affected_tasks.get()
    assert blocked.status == TaskStatus.BLOCKED
    assert "设计素材" in design.description
    assert design.root_cause == blocked.updates.filter(new_status=TaskStatus.BLOCKED).latest("created_at").note
    assert (design.department.name, design.owner.username) == ("设计部", "design")

    client.force_login(design.owner)
    assert design.description in client.get("/").content.decode()

    state = list(Issue.objects.values()), list(Alert.objects.values("pk", "issue_id", "updated_at"))
    call_command("seed_demo", stdout=StringIO())
    assert (list(Issue.objects.values()), list(Alert.objects.values("pk", "issue_id", "updated_at"))) == state
