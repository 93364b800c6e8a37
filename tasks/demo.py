"""Demo tasks of the launch campaign: the template's three tasks of form 1, a dozen more across
the four stages, milestones, and two weeks of status history with one blocked and one overdue
task. Running it again changes nothing."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Department, User
from plans import services as plan_services
from plans.demo import CAMPAIGN_NAME
from plans.models import Campaign, CampaignStatus

from . import services
from .models import AssignmentRole
from .services import TaskInput

# name, stage index, description, R, A, departments, due (days from campaign start), deliverable,
# start (days), history: [(day offset, status, progress, note)], C/I: [(role, username or department)]
TASKS = [
    (
        "线下门店物料铺货",
        0,
        "向100家合作门店铺货新品海报、手册",
        "channel",
        "manager",
        ["销售部", "物流部"],
        6,
        "90%以上门店物料到位,签收确认完整",
        0,
        [(1, "in_progress", 40, "首批 60 家门店已发货"), (5, "done", 100, "96 家门店签收,签收单已归档")],
        [("I", "销售部")],
    ),
    (
        "KOL视频发布",
        1,
        "合作3位腰部KOL发布新品测评视频",
        "promotion",
        "manager",
        [],
        9,
        "视频播放量≥5万,互动率≥3%",
        2,
        [(3, "in_progress", 30, "3 位 KOL 已签约,脚本审核中"), (10, "in_progress", 70, "2 条视频已发布,第 3 条待剪辑")],
        [("C", "product")],
    ),
    (
        "新品详情页上线",
        2,
        "完成电商平台新品详情页制作与上线",
        "ecommerce",
        "ecom_lead",
        ["产品部", "设计部"],
        12,
        "详情页通过审核,商品可正常访问",
        4,
        [(5, "in_progress", 50, "设计初稿完成"), (9, "blocked", 60, "设计素材未到位,等待设计部")],
        [("C", "design"), ("I", "manager")],
    ),
    (
        "物料生产与库存备货",
        0,
        "新品首批生产与电商仓、门店备货",
        "supply",
        "manager",
        ["供应链部"],
        5,
        "首批 6 万件入库,电商仓安全库存 ≥ 1 万件",
        0,
        [(2, "in_progress", 50, "首批 3 万件入库"), (4, "done", 100, "6 万件全部入库")],
        [],
    ),
    (
        "新品卖点与 FAQ 培训",
        0,
        "向客服与门店导购传达新品卖点",
        "product",
        "manager",
        ["销售部"],
        4,
        "培训覆盖率 100%,考核通过率 ≥ 90%",
        0,
        [(3, "done", 100, "2 场培训完成,考核通过率 94%")],
        [("I", "sales")],
    ),
    (
        "概念海报与预热内容",
        1,
        "发布概念海报与 3 篇公众号推文",
        "promotion",
        "manager",
        ["设计部"],
        8,
        "推文阅读量 ≥ 1 万,点赞率 ≥ 3%",
        1,
        [(2, "in_progress", 40, "推文 1 已发布"), (8, "in_progress", 70, "推文 2 延迟:设计素材未到位")],
        [],
    ),
    (
        "直播预热场",
        1,
        "品牌直播间 1 场预热直播",
        "ecommerce",
        "ecom_lead",
        ["电商运营部"],
        16,
        "观看 ≥ 2 万人次,预约转化 ≥ 5%",
        10,
        [],
        [],
    ),
    (
        "私域社群预售",
        1,
        "社群与小程序开启新品预售",
        "ecommerce",
        "manager",
        [],
        11,
        "预售 ≥ 3,000 单",
        5,
        [(6, "in_progress", 50, "预售 1,800 单")],
        [],
    ),
    (
        "信息流广告投放",
        2,
        "线上广告投放预算 10 万元",
        "promotion",
        "manager",
        ["市场推广部"],
        20,
        "CTR ≥ 行业均值,转化率 ≥ 1.2%",
        7,
        [(8, "in_progress", 40, "投放 8 万元;2 个素材 CTR 低于行业均值,已暂停")],
        [("C", "ecommerce")],
    ),
    (
        "门店体验活动",
        2,
        "重点门店周末新品体验专区",
        "channel",
        "manager",
        ["销售部"],
        22,
        "20 家门店开展,到店 ≥ 3,000 人次",
        12,
        [],
        [],
    ),
    (
        "618 大促会场报名",
        2,
        "报名平台大促会场并准备素材",
        "ecommerce",
        "ecom_lead",
        ["设计部"],
        18,
        "会场审核通过,素材按时上线",
        9,
        [(10, "in_progress", 20, "报名已提交")],
        [],
    ),
    (
        "经销商铺货追踪",
        2,
        "跟踪 30 家经销商铺货率",
        "channel",
        "manager",
        ["销售部", "物流部"],
        25,
        "铺货率 ≥ 90%",
        10,
        [],
        [],
    ),
    (
        "用户评价与舆情监测",
        3,
        "每日监测评价与负面舆情并 4 小时内响应",
        "ecommerce",
        "manager",
        ["产品部"],
        29,
        "好评率 ≥ 95%,负面响应 ≤ 4 小时",
        10,
        [],
        [],
    ),
    (
        "首月数据复盘",
        3,
        "汇总全量数据,对比目标,计算 ROI",
        "manager",
        "executive",
        ["销售部", "财务部"],
        31,
        "复盘报告归档至知识库",
        30,
        [],
        [],
    ),
    (
        "用户反馈整理",
        3,
        "整理评价与客服反馈,输出改进清单",
        "product",
        "manager",
        ["电商运营部"],
        32,
        "改进清单 ≥ 10 条并分配负责人",
        28,
        [],
        [],
    ),
]
MILESTONES = [
    (0, "物料生产完成日期 Materials ready", 5),
    (1, "KOL视频发布日期 KOL videos live", 9),
    (2, "新品正式上线 Product live", 12),
    (3, "复盘报告归档 Review archived", 33),
]


@transaction.atomic
def seed(*, stdout=None):
    campaign = Campaign.objects.filter(name=CAMPAIGN_NAME).first()
    if campaign is None or campaign.tasks.exists():
        return
    manager = User.objects.get(username="manager")
    # plans' demo creates the campaign without tasks' stages; the pages create both at once.
    stages = services.stages_ensure_defaults(campaign=campaign, by=manager)
    start = campaign.start_date
    milestones = {
        stage_index: services.milestone_save(
            campaign=campaign, stage=stages[stage_index], name=name, due_date=start + timedelta(days=due), by=manager
        )
        for stage_index, name, due in MILESTONES
    }
    departments = {d.name: d for d in Department.objects.all()}
    for name, stage_index, description, r, a, depts, due, deliverable, begin, history, others in TASKS:
        task = services.task_create(
            campaign=campaign,
            data=TaskInput(
                stage=stages[stage_index],
                name=name,
                description=description,
                deliverable=deliverable,
                responsible=User.objects.get(username=r),
                accountable=User.objects.get(username=a),
                due_date=start + timedelta(days=due),
                start_date=start + timedelta(days=begin),
                milestone=milestones.get(stage_index),
                departments=[departments[d] for d in depts if d in departments],
            ),
            by=manager,
            at=timezone.make_aware(datetime.combine(start - timedelta(days=1), time(9, 0))),
        )
        for day, status, progress, note in history:
            when = timezone.make_aware(datetime.combine(start + timedelta(days=day), time(18, 0)))
            if when > timezone.now():
                continue
            services.task_set_status(
                task=task, status=status, progress=progress, note=note, by=task.responsible, at=when
            )
        for role, who in others:
            user = User.objects.filter(username=who).first()
            services.assignment_set(
                task=task,
                role=AssignmentRole(role),
                user=user,
                department=None if user else departments.get(who),
                by=manager,
            )
    # Goals, sub-goals, stages and tasks with their R and A: the kickoff gate lets it start.
    plan_services.campaign_set_status(campaign=campaign, status=CampaignStatus.EXECUTING, by=manager)
