"""The demo's finished campaign, reviewed and archived: the execution template's own form 4
example, computed from recorded values (sales 50,000 / 48,000 = 96%, new members 10,000 /
12,000 = 120%, exposure 500万 / 620万 = 124%, cost 30万 / 32万 = 107%, a miss, ROI 1:5 against
1:4.2), with its analysis, lessons and follow-up actions, found by the knowledge base's
search (直播 finds the lesson about 抖音直播带货). Running it again changes nothing."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from plans import services as plan_services
from plans.demo import PLAN_TITLE
from plans.models import AnnualPlan, CampaignStatus, CampaignType, Channel, Metric
from plans.services import TargetInput, ValueRow
from tasks import services as task_services
from tasks.services import TaskInput

from .models import Dimension, LessonKind
from .services import actions, lessons, reviews

FINISHED_NAME = "618 新品首发大促（已复盘） 618 launch promotion (reviewed)"

# metric, category, target, actual, dimension, name, analysis, suggestion (form 4's example)
LINES = [
    (
        "units_sold",
        "performance",
        50000,
        48000,
        Dimension.SALES,
        "新品首月销量（件） First-month unit sales",
        "线下部分门店缺货流失订单2000件",
        "加强供应链备货协同，提前10天预警库存",
    ),
    (
        "new_members",
        "customer",
        10000,
        12000,
        Dimension.USER_GROWTH,
        "新增会员数（人） New members",
        "直播引流效果好，新增会员转化高",
        "增加直播场次，优化会员注册引导话术",
    ),
    (
        "exposure",
        "brand",
        5000000,
        6200000,
        Dimension.REACH,
        "媒体总曝光量 Media exposure",
        "KOL视频+信息流广告叠加传播",
        "保持信息流广告预算，增加KOL合作数量",
    ),
    (
        "marketing_cost",
        "performance",
        300000,
        320000,
        Dimension.COST,
        "营销成本 Marketing cost",
        "临时追加直播推广费用2万元",
        "提前规划直播预算，纳入整体方案",
    ),
]
ROI_ANALYSIS = ("成本略超但销量接近目标，整体可控", "优化成本结构，聚焦高转化渠道")
# ROI 4.2 on a cost of 320,000.
NET_PROFIT = Decimal("1344000")

LESSONS = [
    (
        LessonKind.WORKED,
        "抖音直播带货引流效果好：直播间新增会员转化率高于图文渠道，下次大促应增加直播场次。",
        "直播,抖音,会员",
        ["short_video"],
        ["new_members"],
        "正式推广",
    ),
    (
        LessonKind.AVOID,
        "直播推广费用临时追加2万元导致成本超支：直播预算需在方案阶段提前规划。",
        "直播,预算",
        ["short_video"],
        ["marketing_cost"],
        "预热宣传",
    ),
    (
        LessonKind.AVOID,
        "线下部分门店缺货，流失订单约2000件：需提前15天完成库存盘点。",
        "库存,门店",
        ["stores"],
        ["units_sold"],
        "产品筹备",
    ),
    (
        LessonKind.WORKED,
        "短视频内容更适合新品触达年轻用户；KOL视频与信息流广告叠加，曝光超目标24%。",
        "KOL,短视频,信息流",
        ["short_video", "search_ads"],
        ["exposure"],
        "预热宣传",
    ),
]

ACTIONS = [
    ("下次活动前提前15天完成库存盘点 Stock count 15 days before the next campaign", "channel", 10),
    ("直播预算纳入整体方案，按场次预先审批 Plan the live-streaming budget up front", "promotion", 20),
]


@transaction.atomic
def seed(*, stdout=None):
    plan = AnnualPlan.objects.filter(title=PLAN_TITLE).order_by("-year").first()
    if plan is None or plan.campaigns.filter(name=FINISHED_NAME).exists():
        return
    manager = User.objects.get(username="manager")
    today = timezone.localdate()
    end = today - timedelta(days=20)
    start = end - timedelta(days=29)
    campaign = plan_services.campaign_create(
        plan=plan,
        name=FINISHED_NAME,
        type=CampaignType.MAJOR_PROMOTION,
        owner=manager,
        start_date=start,
        end_date=end,
        budget=Decimal("300000"),
        description="表4 营销方案执行效果评估表的示例：已结束并复盘的一次 618 大促。Form 4's own example.",
        by=manager,
    )
    metric = {m.code: m for m in Metric.objects.all()}
    channels = {c.code: c for c in Channel.objects.all()}
    goals = {}
    for order, (code, category, target, _actual, _dimension, name, *_texts) in enumerate(LINES):
        goals[code] = plan_services.target_save(
            data=TargetInput(
                metric=metric[code], category=category, target_value=Decimal(target), name=name, sort_order=order
            ),
            campaign=campaign,
        )
    plan_services.target_save(
        data=TargetInput(metric=metric["roi"], category="performance", target_value=Decimal(5), sort_order=9),
        campaign=campaign,
    )
    for code, value in (("online", 30000), ("offline", 20000)):
        plan_services.target_save(
            data=TargetInput(
                metric=metric["units_sold"], category="performance", target_value=Decimal(value), channel=channels[code]
            ),
            parent=goals["units_sold"],
        )
    stages = task_services.stages_ensure_defaults(campaign=campaign, by=manager)
    task_services.task_create(
        campaign=campaign,
        data=TaskInput(
            stage=stages[2],
            name="抖音直播带货 Douyin live-stream selling",
            responsible=User.objects.get(username="promotion"),
            accountable=manager,
            due_date=end,
            start_date=start,
        ),
        by=manager,
    )
    plan_services.campaign_set_status(campaign=campaign, status=CampaignStatus.EXECUTING, by=manager)
    _record(campaign=campaign, metric=metric, start=start, manager=manager)
    review = reviews.review_open(campaign=campaign, by=manager)
    _write_review(review=review, manager=manager, start=start, end=end, metric=metric, channels=channels)
    reviews.review_finalise(review=review, by=manager, today=today)
    reviews.review_archive(review=review, by=manager)


def _record(*, campaign, metric, start, manager) -> None:
    """The actuals in two halves (days 10 and 20 of the campaign), and the net profit."""
    rows = []
    for code, _category, _target, actual, *_rest in LINES:
        half = Decimal(actual) / 2
        for day, value in ((9, half), (19, Decimal(actual) - half)):
            rows.append(
                ValueRow(
                    metric=metric[code],
                    date=start + timedelta(days=day),
                    value=value,
                    plan=campaign.plan,
                    campaign=campaign,
                )
            )
    rows.append(
        ValueRow(
            metric=metric["marketing_net_profit"],
            date=start + timedelta(days=19),
            value=NET_PROFIT,
            plan=campaign.plan,
            campaign=campaign,
        )
    )
    plan_services.metric_values_record(rows=rows, recorded_by=manager)


def _write_review(*, review, manager, start, end, metric, channels) -> None:
    people = list(User.objects.filter(username__in=["manager", "promotion", "channel", "ecommerce"]))
    reviews.review_update(
        review=review,
        data=reviews.ReviewInput(
            meeting_date=end + timedelta(days=2),
            participants=people,
            overview=(
                "销量达成96%，接近目标；新增会员与曝光超额完成；营销成本超支7%，ROI 1:4.2 低于目标 1:5。"
                " Sales at 96% of target, members and exposure beyond it; cost 7% over, ROI 1:4.2 against 1:5."
            ),
            conclusion=ROI_ANALYSIS[0],
            what_worked="直播引流效果好；KOL视频+信息流广告叠加传播。Live streaming and KOL videos with feed ads.",
            shortfalls="门店缺货流失订单；直播推广费用临时追加。Stores ran out; live-stream spend was added late.",
        ),
        by=manager,
    )
    by_code = {line.metric.code: line for line in review.lines.select_related("metric")}
    for code, _category, _target, _actual, dimension, _name, analysis, suggestion in LINES:
        reviews.review_line_save(
            review=review,
            line=by_code[code],
            data=reviews.LineInput(dimension=dimension, analysis=analysis, suggestion=suggestion),
        )
    reviews.review_line_save(
        review=review,
        line=by_code["roi"],
        data=reviews.LineInput(dimension=Dimension.OVERALL, analysis=ROI_ANALYSIS[0], suggestion=ROI_ANALYSIS[1]),
    )
    for kind, text, tags, channel_codes, metric_codes, stage in LESSONS:
        lessons.lesson_save(
            review=review,
            data=lessons.LessonInput(
                kind=kind,
                text=text,
                tags=tags,
                stage=stage,
                channels=[channels[c] for c in channel_codes],
                metrics=[metric[m] for m in metric_codes],
            ),
            by=manager,
        )
    for text, owner, days in ACTIONS:
        actions.action_save(
            review=review,
            data=actions.ActionInput(
                action=text, owner=User.objects.get(username=owner), due_date=end + timedelta(days=days)
            ),
        )
