"""The timeline's "Today" label has a lane of its own: it never sits on a month's name, in
English or Chinese, on a desktop or a phone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, CampaignFactory, StageFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

OVERLAPS = """() => {
    const today = document.querySelector('#timeline-today text').getBoundingClientRect();
    return Array.from(document.querySelectorAll('.timeline-axis text[font-weight="600"]')).filter(el => {
        const r = el.getBoundingClientRect();
        const across = r.left < today.right && today.left < r.right;
        return r.width > 0 && across && r.top < today.bottom && today.top < r.bottom;
    }).map(el => el.textContent);
}"""


@pytest.fixture
def campaign_from_today():
    """A campaign starting today: today's line is on its first day, where a month's name begins."""
    today = timezone.localdate()
    manager = UserFactory(username="manager", roles=[Role.MARKETING_MANAGER])
    campaign = CampaignFactory(owner=manager, start_date=today, end_date=today + timedelta(days=45))
    TaskFactory(stage=StageFactory(campaign=campaign), due_date=today + timedelta(days=10))
    return campaign


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("screen", ["page", "phone_page"])
def test_the_today_label_does_not_overlap_a_month_label(request, campaign_from_today, screen, language):
    campaign_from_today.owner.language = language
    campaign_from_today.owner.save()
    page = request.getfixturevalue(screen)
    log_in(page, "manager", PASSWORD)

    page.goto(f"/campaigns/{campaign_from_today.pk}/timeline/")

    assert page.locator("#timeline-today text").is_visible()
    assert page.evaluate(OVERLAPS) == []
