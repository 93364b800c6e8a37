"""The weekly log pages and the review page: what they show, who may edit, bad input."""

from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.models import Role
from tasks.models import TaskStatus
from tests.factories.weekly import WEEK, draft, week_campaign, week_task
from tracking.models import WeeklyLog, WeeklyLogState

pytestmark = pytest.mark.django_db

EDITORS = ["manager", "owner"]
READERS = [Role.EXECUTIVE, Role.STAFF, Role.DEPARTMENT_LEAD, Role.VIEWER]


@pytest.fixture
def campaign(make_user):
    return week_campaign(owner=make_user(Role.STAFF, username="owner"))


def _person(who, campaign, make_user):
    if who == "owner":
        return campaign.owner
    if who == "manager":
        return make_user(Role.MARKETING_MANAGER)
    return make_user(who)


def _edit_form(log, **fields) -> dict:
    data = {"meeting_date": "2026-06-12", "participants": "市场部、设计部", "summary": "On track"}
    for row in log.rows.all():
        for name in ("planned_tasks", "completion", "key_figures", "problems", "measures", "next_focus"):
            data[f"row-{row.pk}-{name}"] = getattr(row, name)
    data.update(fields)
    return data


@pytest.mark.parametrize("who", EDITORS + READERS)
def test_everyone_reads_the_log_and_the_review_and_only_editors_see_the_editor(client, campaign, make_user, who):
    log = draft(campaign)
    client.force_login(_person(who, campaign, make_user))

    page = client.get(log.get_absolute_url())
    review = client.get(reverse("tracking:campaign_review", args=[campaign.pk]), {"week": "2026-W24"})

    assert page.status_code == review.status_code == 200
    assert (b'id="weekly-log-form"' in page.content) == (who in EDITORS)
    assert (b'id="weekly-log-form"' in review.content) == (who in EDITORS)


@pytest.mark.parametrize("who", EDITORS + READERS)
def test_only_managers_and_the_owner_edit_draft_and_publish(client, campaign, make_user, who):
    log = draft(campaign)
    client.force_login(_person(who, campaign, make_user))

    saved = client.post(log.get_absolute_url(), _edit_form(log, summary="Decided: boost live streaming"))
    drafted = client.post(reverse("tracking:weekly_log_draft", args=[campaign.pk]), {"week": "2026-W25"})
    published = client.post(reverse("tracking:weekly_log_publish", args=[log.pk]))

    log.refresh_from_db()
    if who in EDITORS:
        assert saved.status_code == drafted.status_code == published.status_code == 302
        assert log.summary == "Decided: boost live streaming"
        assert log.state == WeeklyLogState.PUBLISHED
        assert WeeklyLog.objects.filter(week=WEEK + timedelta(days=7)).exists()
    else:
        assert saved.status_code == drafted.status_code == published.status_code == 403
        assert log.summary == ""
        assert log.state == WeeklyLogState.DRAFT
        assert WeeklyLog.objects.count() == 1


def test_the_review_page_types_a_decision_into_the_log_and_returns_to_the_review(client, campaign, make_user):
    log = draft(campaign)
    row = log.rows.first()
    client.force_login(campaign.owner)
    review_url = reverse("tracking:campaign_review", args=[campaign.pk]) + "?week=2026-W24"

    response = client.post(
        log.get_absolute_url(), _edit_form(log, **{f"row-{row.pk}-measures": "追加投放2万元"}, next=review_url)
    )

    assert response.status_code == 302
    assert response["Location"] == review_url
    row.refresh_from_db()
    assert row.measures == "追加投放2万元"
    assert row.history.first().history_user == campaign.owner


def test_a_published_log_is_read_only_and_a_correction_keeps_it(client, campaign):
    log = draft(campaign)
    client.force_login(campaign.owner)
    client.post(reverse("tracking:weekly_log_publish", args=[log.pk]))

    refused = client.post(log.get_absolute_url(), _edit_form(log, summary="changed"))
    corrected = client.post(reverse("tracking:weekly_log_correct", args=[log.pk]))
    correction = WeeklyLog.objects.get(revision=2)
    client.post(correction.get_absolute_url(), _edit_form(correction, summary="Corrected figures"))
    client.post(reverse("tracking:weekly_log_publish", args=[correction.pk]))

    assert refused.status_code == 400
    assert b"read-only" in refused.content
    assert corrected["Location"] == correction.get_absolute_url()
    log.refresh_from_db()
    correction.refresh_from_db()
    assert log.state == WeeklyLogState.SUPERSEDED
    assert log.summary == ""
    assert correction.state == WeeklyLogState.PUBLISHED
    assert correction.summary == "Corrected figures"
    assert correction.rows.count() == log.rows.count() == 2


@pytest.mark.parametrize(
    ("week", "message"),
    [
        ("2026-W30", b"has no day in the campaign"),
        ("2026-W99", b"Give a week as 2026-W24"),
        ("next friday", b"Give a week as 2026-W24"),
        ("9999-W52", b"Give a week as 2026-W24"),  # beyond the dates the tracker keeps
    ],
)
def test_a_bad_week_is_a_field_error_and_drafts_nothing(client, campaign, week, message):
    client.force_login(campaign.owner)

    response = client.post(reverse("tracking:weekly_log_draft", args=[campaign.pk]), {"week": week})

    assert response.status_code == 400
    assert message in response.content
    assert not WeeklyLog.objects.exists()


def test_a_meeting_date_outside_the_window_is_refused_naming_the_field(client, campaign):
    log = draft(campaign)
    client.force_login(campaign.owner)

    response = client.post(log.get_absolute_url(), _edit_form(log, meeting_date="1900-01-01", summary="x"))

    assert response.status_code == 400
    assert b"Meeting date" in response.content
    log.refresh_from_db()
    assert log.summary == ""
    assert log.meeting_date is None


def test_the_review_page_shows_blocked_tasks_with_reasons_and_overdue_tasks(client, campaign, frozen):
    week_task(campaign, name="Tweet 2", status=TaskStatus.BLOCKED, reason="设计素材未到位")
    week_task(campaign, name="Late post", due=WEEK)
    client.force_login(campaign.owner)

    page = client.get(reverse("tracking:campaign_review", args=[campaign.pk]), {"week": "2026-W24"})

    assert "设计素材未到位" in page.content.decode()
    assert b"Late post" in page.content
    assert b'id="review-draft"' in page.content


def test_the_log_exports_as_form_2_with_the_templates_headers(client, campaign):
    from io import BytesIO

    from openpyxl import load_workbook

    log = draft(campaign)
    log.rows.filter(position=0).update(problems='=HYPERLINK("http://evil.example")')
    client.force_login(campaign.owner)

    response = client.get(reverse("tracking:weekly_log_export", args=[log.pk]))

    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert headers == [
        "阶段",
        "本周计划任务",
        "完成情况(数量/质量)",
        "关键数据指标(如销量、曝光量)",
        "存在问题及原因分析",
        "解决措施与责任人",
        "下周计划重点",
    ]
    assert sheet["A2"].value == "Warm-up"
    assert sheet["E2"].data_type == "s"
    assert sheet["E2"].quotePrefix


def test_the_log_page_shows_who_changed_what(client, campaign):
    log = draft(campaign, by=campaign.owner)
    row = log.rows.get(position=1)
    client.force_login(campaign.owner)
    client.post(log.get_absolute_url(), _edit_form(log, **{f"row-{row.pk}-problems": "设计素材未到位"}))

    history = client.get(log.get_absolute_url()).content.decode().split('id="log-history"')[1]

    assert f"{campaign.owner.display_name} · Launch and promotion: problems and causes" in history
    assert "meeting date, participants, summary" in history
    assert "Warm-up:" not in history  # unchanged rows are not listed
