from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import CampaignFactory, StageFactory, TaskFactory, UserFactory


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def campaign():
    """A campaign of "owner", a person in no role: what they may do there, they may as its owner."""
    return CampaignFactory(owner=UserFactory(username="owner"))


@pytest.fixture
def stage(campaign):
    """The campaign's one stage, Warm-up (预热宣传)."""
    return StageFactory(campaign=campaign, name_en="Warm-up", name_zh="预热宣传", position=1)


@pytest.fixture
def task(stage, today):
    """ "KOL video", not started, due in ten days; "responsible" does it and "accountable" approves it."""
    return TaskFactory(
        stage=stage,
        name="KOL video",
        responsible=UserFactory(username="responsible"),
        accountable=UserFactory(username="accountable"),
        due_date=today + timedelta(days=10),
    )
