"""Publishing a weekly log tells the campaign's R, A and Informed people and departments, once;
a published log is read-only and a correction is a new revision that keeps it."""

import pytest
from django.core.exceptions import ValidationError

from notifications import kinds
from notifications.models import Delivery, Notification
from tasks.models import Assignment, AssignmentRole
from tests.factories import ChatWebhookFactory, DepartmentFactory, UserFactory
from tests.factories.weekly import draft, week_campaign, week_task
from tracking.models import WeeklyLog, WeeklyLogState
from tracking.services.weekly_logs import weekly_log_correct, weekly_log_publish, weekly_log_update

pytestmark = pytest.mark.django_db


def test_publishing_tells_the_responsible_accountable_and_informed_once():
    campaign = week_campaign()
    task = week_task(campaign)
    informed, lead, bystander = UserFactory(), UserFactory(), UserFactory()
    department = DepartmentFactory(lead=lead)
    Assignment.objects.create(task=task, role=AssignmentRole.INFORMED, user=informed)
    Assignment.objects.create(task=task, role=AssignmentRole.INFORMED, department=department)
    Assignment.objects.create(task=task, role=AssignmentRole.CONSULTED, user=bystander)
    log = draft(campaign)

    weekly_log_publish(log=log, by=campaign.owner)

    told = set(Notification.objects.filter(kind="weekly_log_published").values_list("recipient_id", flat=True))
    assert told == {task.responsible_id, task.accountable_id, informed.pk, lead.pk}
    notification = Notification.objects.filter(recipient=informed).get()
    assert notification.title == f"Weekly progress log 2026-W24 of {campaign.name} is published"
    assert notification.url == log.get_absolute_url()
    assert kinds.label("weekly_log_published") == "weekly log published"


def test_the_campaigns_chat_group_hears_of_it():
    campaign = week_campaign()
    week_task(campaign)
    webhook = ChatWebhookFactory(scope=campaign)
    log = draft(campaign)

    _log, notified = weekly_log_publish(log=log, by=campaign.owner)

    assert notified.notifications == 2
    assert Delivery.objects.filter(webhook=webhook, kind="weekly_log_published").count() == 1


def test_a_published_log_cannot_be_published_again_or_edited():
    campaign = week_campaign()
    log, _notified = weekly_log_publish(log=draft(campaign), by=campaign.owner)

    with pytest.raises(ValidationError) as twice:
        weekly_log_publish(log=log, by=campaign.owner)
    with pytest.raises(ValidationError) as edited:
        weekly_log_update(log=log, by=campaign.owner, meeting_date=None, participants="", summary="changed")

    assert "Only a draft can be published" in twice.value.message_dict["state"][0]
    assert "read-only" in edited.value.message_dict["state"][0]


def test_a_correction_replaces_the_published_log_only_once_published_and_tells_people_again():
    campaign = week_campaign()
    week_task(campaign)
    first, _notified = weekly_log_publish(log=draft(campaign), by=campaign.owner)

    correction = weekly_log_correct(log=first, by=campaign.owner)
    assert weekly_log_correct(log=first, by=campaign.owner).pk == correction.pk
    first.refresh_from_db()
    assert first.state == WeeklyLogState.PUBLISHED  # until the correction is out
    weekly_log_publish(log=correction, by=campaign.owner)

    states = dict(WeeklyLog.objects.values_list("revision", "state"))
    assert states == {1: WeeklyLogState.SUPERSEDED, 2: WeeklyLogState.PUBLISHED}
    assert Notification.objects.filter(kind="weekly_log_published").count() == 4  # R and A, twice
    with pytest.raises(ValidationError):
        weekly_log_correct(log=correction.__class__.objects.get(revision=1), by=campaign.owner)
