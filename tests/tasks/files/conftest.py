from datetime import date

import pytest

from accounts.models import Role
from tasks import services
from tasks.models import TaskStatus
from tests.factories import CampaignFactory, DepartmentFactory, UserFactory
from tests.tasks.files.form_1 import stage_named


@pytest.fixture
def owner(make_user):
    """The campaign's owner, in the staff role (not a marketing manager)."""
    return make_user(Role.STAFF, username="owner", name="Owner Ou")


@pytest.fixture
def campaign(owner):
    """A campaign of `owner` with the template's four stages, which Form 1 names."""
    campaign = CampaignFactory(owner=owner)
    services.stages_ensure_defaults(campaign=campaign)
    return campaign


@pytest.fixture
def team():
    """Three people and three departments that the files name."""
    product, design, sales = (DepartmentFactory(name=name) for name in ("产品部", "设计部", "销售部"))
    return {
        "li": UserFactory(username="li", name="李雷", roles=[Role.STAFF]),
        "han": UserFactory(username="han", name="韩梅梅", roles=[Role.STAFF]),
        "wang": UserFactory(username="wang", name="王芳", roles=[Role.STAFF]),
        "product": product,
        "design": design,
        "sales": sales,
    }


@pytest.fixture
def filled_campaign(campaign, team, manager):
    """Three tasks made the way the pages make them: R, A, departments, C/I, statuses with notes."""
    launch, warm_up = stage_named(campaign, "正式推广"), stage_named(campaign, "预热宣传")
    detail_page = services.task_create(
        campaign=campaign,
        data=services.TaskInput(
            stage=launch,
            name="新品详情页上线",
            responsible=team["li"],
            accountable=team["han"],
            due_date=date(2026, 6, 10),
            description="完成电商平台新品详情页制作与上线",
            deliverable="详情页通过审核,商品可正常访问",
            departments=[team["product"], team["design"]],
        ),
        by=manager,
    )
    services.assignment_set(task=detail_page, role="C", user=team["wang"], by=manager)
    services.assignment_set(task=detail_page, role="I", department=team["sales"], by=manager)
    kol = services.task_create(
        campaign=campaign,
        data=services.TaskInput(
            stage=warm_up,
            name="KOL视频发布",
            responsible=team["han"],
            accountable=team["li"],
            due_date=date(2026, 6, 5),
            start_date=date(2026, 6, 1),
        ),
        by=manager,
    )
    services.task_set_status(task=kol, status=TaskStatus.IN_PROGRESS, by=team["han"], note="3 KOLs signed", progress=40)
    posters = services.task_create(
        campaign=campaign,
        data=services.TaskInput(
            stage=stage_named(campaign, "产品筹备"),
            name="线下门店物料铺货",
            responsible=team["wang"],
            accountable=team["li"],
            due_date=date(2026, 6, 8),
            departments=[team["sales"]],
        ),
        by=manager,
    )
    services.task_set_status(task=posters, status=TaskStatus.BLOCKED, by=team["wang"], note="Printer late")
    return campaign
