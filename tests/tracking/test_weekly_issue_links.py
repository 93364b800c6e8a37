"""The weekly review pages and the weekly log page link what they list as problems to the
campaign's issue register: each issue to its detail page, and the log page has a card of the
campaign's open issues (state, deadline, overdue in red), in a fixed number of queries."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories.weekly import draft, week_campaign, week_issue
from tracking.models import Issue, IssueState

pytestmark = pytest.mark.django_db


def _issues(campaign, count: int) -> list[Issue]:
    return [week_issue(campaign, description=f"Problem {n}", deadline=date(2030, 1, 1)) for n in range(count)]


def test_the_review_pages_link_each_open_issue_to_its_page(client):
    campaign = week_campaign()
    issue = week_issue(campaign, description="Design material arrives late")
    client.force_login(campaign.owner)

    review = client.get(reverse("tracking:campaign_review", args=[campaign.pk]), {"week": "2026-W24"})
    plan_review = client.get(reverse("tracking:plan_review", args=[campaign.plan.pk]), {"week": "2026-W24"})

    link = f'href="{issue.get_absolute_url()}"'
    assert link in review.content.decode()
    assert link in plan_review.content.decode()
    assert f'href="{reverse("tracking:campaign_issues", args=[campaign.pk])}"' in review.content.decode()


def test_the_log_page_lists_the_campaigns_open_issues_with_links_and_overdue_in_red(client):
    campaign = week_campaign()
    late = week_issue(campaign, description="Late one", deadline=timezone.localdate() - timedelta(days=1))
    due_today = week_issue(campaign, description="Due today", deadline=timezone.localdate(), state=IssueState.MITIGATED)
    resolved = week_issue(campaign, description="Done one", state=IssueState.RESOLVED)
    other = week_issue(week_campaign(), description="Another campaign's")
    log = draft(campaign)
    client.force_login(campaign.owner)

    page = client.get(log.get_absolute_url()).content.decode()

    card = page[page.index('id="log-open-issues"') :]
    card = card[: card.index("</section>")]
    assert f'href="{late.get_absolute_url()}"' in card
    assert f'href="{due_today.get_absolute_url()}"' in card
    assert resolved.get_absolute_url() + '"' not in card
    assert other.get_absolute_url() + '"' not in card
    late_item = card[card.rindex("<li", 0, card.index(late.get_absolute_url())) :].split("</li>")[0]
    today_item = card[card.rindex("<li", 0, card.index(due_today.get_absolute_url())) :].split("</li>")[0]
    # Past its deadline: red; due today is not overdue yet (the boundary).
    assert "list-group-item-danger" in late_item
    assert "text-danger" in late_item
    assert "list-group-item-danger" not in today_item
    assert "text-danger" not in today_item
    assert "mitigated" in today_item


def test_the_log_page_and_the_review_pages_run_the_same_queries_with_few_or_many_issues(client, count_queries):
    counts = []
    for size in (2, 60):
        campaign = week_campaign()
        _issues(campaign, size)
        log = draft(campaign)
        client.force_login(campaign.owner)
        counts.append(
            [
                count_queries(lambda log=log: client.get(log.get_absolute_url())),
                count_queries(
                    lambda campaign=campaign: client.get(
                        reverse("tracking:campaign_review", args=[campaign.pk]), {"week": "2026-W24"}
                    )
                ),
                count_queries(
                    lambda campaign=campaign: client.get(
                        reverse("tracking:plan_review", args=[campaign.plan.pk]), {"week": "2026-W24"}
                    )
                ),
            ]
        )
    assert counts[0] == counts[1]
