"""The weekly logs and the channel ranking in the API: same permissions as the pages, filters, bad input."""

from datetime import timedelta

import pytest

from accounts.models import Role
from tests.api import NOT_MANAGERS, ids, results, url
from tests.factories.weekly import WEEK, daily_sales, draft, week_campaign
from tracking.models import WeeklyLog, WeeklyLogState

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(make_user):
    return week_campaign(owner=make_user(Role.STAFF, username="owner"))


def test_a_manager_drafts_edits_and_publishes_a_log(client_as, campaign):
    api = client_as(Role.MARKETING_MANAGER)

    created = api.post(url("weekly-log-list"), {"campaign": campaign.pk, "week": "2026-W24"})
    again = api.post(url("weekly-log-list"), {"campaign": campaign.pk, "week": "2026-06-10"})
    log = created.json()
    row = log["rows"][0]
    changed = api.patch(
        url("weekly-log-detail", log["id"]),
        {"summary": "Boost live streaming", "rows": [{"id": row["id"], "measures": "追加投放2万元"}]},
    )
    published = api.post(url("weekly-log-publish", log["id"]))

    assert created.status_code == 201
    assert again.status_code == 200
    assert again.json()["id"] == log["id"]
    assert log["week"] == "2026-06-08"
    assert log["week_label"] == "2026-W24"
    assert len(log["rows"]) == 2
    assert changed.status_code == 200, changed.content
    assert changed.json()["rows"][0]["measures"] == "追加投放2万元"
    assert published.json()["state"] == "published"


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_others_read_logs_but_may_not_write_them(client_as, campaign, who):
    log = draft(campaign)
    api = client_as(who)

    assert ids(api.get(url("weekly-log-list"))) == [log.pk]
    assert api.post(url("weekly-log-list"), {"campaign": campaign.pk, "week": "2026-W25"}).status_code == 403
    assert api.patch(url("weekly-log-detail", log.pk), {"summary": "x"}).status_code == 403
    assert api.post(url("weekly-log-publish", log.pk)).status_code == 403
    assert WeeklyLog.objects.count() == 1
    assert WeeklyLog.objects.get().state == WeeklyLogState.DRAFT


def test_the_campaign_owner_writes_the_logs_of_their_campaign(client_as, campaign):
    api = client_as(campaign.owner)

    assert api.post(url("weekly-log-list"), {"campaign": campaign.pk, "week": "2026-W24"}).status_code == 201


def test_a_published_log_refuses_changes_and_a_correction_is_a_new_revision(client_as, campaign):
    log = draft(campaign)
    api = client_as(Role.MARKETING_MANAGER)
    api.post(url("weekly-log-publish", log.pk))

    refused = api.patch(url("weekly-log-detail", log.pk), {"summary": "changed"})
    correction = api.post(url("weekly-log-correct", log.pk))

    assert refused.status_code == 400
    assert "read-only" in refused.json()["state"][0]
    assert correction.json()["revision"] == 2
    assert correction.json()["corrects"] == log.pk


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"week": "2026-W30"}, "week"),
        ({"week": "W24"}, "week"),
        ({"week": "2026-W24", "campaign": "²"}, "campaign"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_saves_nothing(client_as, campaign, body, field):
    response = client_as(Role.MARKETING_MANAGER).post(url("weekly-log-list"), {"campaign": campaign.pk, **body})

    assert response.status_code == 400
    assert field in response.json()
    assert not WeeklyLog.objects.exists()


def test_logs_filter_by_campaign_week_state_and_updated_after(client_as, campaign):
    first = draft(campaign)
    second = draft(campaign, monday=WEEK + timedelta(days=7))
    other = draft(week_campaign())
    api = client_as(Role.VIEWER)

    assert ids(api.get(url("weekly-log-list"), {"campaign": campaign.pk})) == [first.pk, second.pk]
    assert ids(api.get(url("weekly-log-list"), {"week": "2026-W25"})) == [second.pk]
    assert ids(api.get(url("weekly-log-list"), {"state": "published"})) == []
    assert len(results(api.get(url("weekly-log-list"), {"updated_after": "2000-01-01T00:00:00Z"}))) == 3
    assert api.get(url("weekly-log-list"), {"week": "soon"}).status_code == 400
    assert other.pk not in ids(api.get(url("weekly-log-list"), {"campaign": campaign.pk}))


@pytest.mark.parametrize("size", [1, 12])
def test_the_log_list_runs_the_same_queries_whatever_the_number_of_logs(client_as, size, django_assert_num_queries):
    api = client_as(Role.VIEWER)
    for _n in range(size):
        draft(week_campaign())

    with django_assert_num_queries(3):
        assert len(results(api.get(url("weekly-log-list")))) == size


@pytest.mark.parametrize("who", [Role.MARKETING_MANAGER, *NOT_MANAGERS])
def test_everyone_reads_the_ranking_of_a_campaign_and_a_plan(client_as, campaign, who):
    daily_sales(campaign, start=WEEK, days=1, value="50", via="stores")
    daily_sales(campaign, start=WEEK, days=1, value="10000", via="stores", code="marketing_cost")
    api = client_as(who)

    by_campaign = api.get(url("channel-ranking-list"), {"campaign": campaign.pk, "week": "2026-W24"})
    by_plan = api.get(url("channel-ranking-list"), {"plan": campaign.plan.pk, "week": "2026-06-12"})

    assert by_campaign.status_code == 200, by_campaign.content
    (row,) = by_campaign.json()
    assert (row["channel"], row["rank"], row["arrow"], row["output_per_10000_cost"]) == ("stores", 1, "new", "50.0000")
    assert by_plan.json()[0]["campaign"] is None


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "plan"),
        ({"plan": "99999"}, "plan"),
        ({"campaign": "1", "week": "x"}, "week"),
        ({"campaign": "1", "week": "9999-W52"}, "week"),
        ({"campaign": "1", "week": "0001-01-01"}, "week"),
    ],
)
def test_the_ranking_refuses_bad_input_naming_the_field(client_as, params, field):
    response = client_as(Role.VIEWER).get(url("channel-ranking-list"), params)

    assert response.status_code == 400
    assert field in response.json()
