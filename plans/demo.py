"""Demo plan and campaign, from the two templates' examples. Running it again changes nothing.

The plan is for the current year; the new-product-launch campaign started 13 days ago and runs
30 days, with daily figures up to yesterday: online sales at 60% of their pace, as in the
execution template's example, offline on pace.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User

from . import services
from .models import (
    METRIC_VALUE_KEY,
    AnnualPlan,
    Campaign,
    CampaignType,
    Channel,
    Metric,
    MetricValue,
    PlanSection,
    PlanStatus,
    ValueSource,
    metric_value_key,
)
from .services import TargetInput, ValueRow

PLAN_TITLE = "年度营销计划 Annual marketing plan"
CAMPAIGN_NAME = "新品上市首月推广 New product launch: first month"

# category, title in Chinese, title in English, details in Chinese, details in English
REVIEW = [
    (
        "results",
        "销售额同比增长 12%,利润率提升 1.5 个百分点",
        "Sales up 12% year on year, margin up 1.5 points",
        "新品线与精准推广带动增长;第三季度受竞品低价冲击。",
        "Sales up 12% year on year; the new product line and precise promotion drove it, while a competitor's low prices hurt Q3.",
    ),
    (
        "channels",
        "短视频新客占比提升至 35%,私域复购率高于公域",
        "Short video brings 35% of new customers; private domain repurchases more",
        "短视频带来 35% 的新客;私域复购率高于公域平台;线下展会投入产出偏低。",
        "Short video brought 35% of new customers; private-domain repurchase beat public platforms. Trade fairs under-performed.",
    ),
    (
        "brand",
        "年度品牌曝光 3.5 亿次,好感度提升",
        "350 million brand impressions, favourability up",
        "全年曝光 3.5 亿次;用户调研中品牌好感度提升;负面帖子 12 小时内回应。",
        "3.5 hundred million impressions; brand favourability up in the user survey; negative posts answered within 12 hours.",
    ),
    (
        "customers",
        "新客 4.2 万,复购率 28%",
        "42,000 new customers, 28% repurchase",
        "新客 4.2 万,获客成本下降;复购率 28%;高价值会员贡献 18% 的收入。",
        "42,000 new customers at a falling acquisition cost; repurchase rate 28%; high-value members 18% of revenue.",
    ),
]
CHALLENGES = [
    (
        "competition",
        "竞品“性价比+个性化定制”分流客群",
        "A competitor's value-plus-customisation offer draws customers away",
        "竞品以“性价比+个性化定制”吸引我们的客户。",
        "A competitor's value-plus-customisation offer is drawing our customers away.",
    ),
    (
        "conversion",
        "咨询环节响应不及时导致流失",
        "Slow answers at the enquiry step lose buyers",
        "从浏览到下单之间,咨询响应慢导致客户流失。",
        "Slow answers at the enquiry step lose buyers between browsing and ordering.",
    ),
    (
        "resources",
        "线下展会投入产出不匹配",
        "Trade-fair spend does not pay back",
        "线下展会投入产出不匹配;数据分析能力薄弱。",
        "Trade-fair spend does not pay back; data analysis skills are thin.",
    ),
    (
        "external",
        "广告法新规与消费意愿下降",
        "New advertising rules and weaker demand",
        "广告法新规出台,消费意愿下降。",
        "New advertising rules and weaker consumer demand.",
    ),
]
STRATEGIES = [
    (
        "product",
        "淘汰低效 SKU,推出“引流款+利润款+形象款”",
        "Retire slow SKUs; a traffic, profit and image product mix",
        "淘汰低效 SKU;构建“引流款+利润款+形象款”产品组合;推出两款新品。",
        "Retire slow SKUs; build a traffic / profit / image product mix; two new products.",
    ),
    (
        "price",
        "分层促销:新客首单折扣、老客阶梯满减",
        "Tiered promotions: first-order discounts, loyalty tiers",
        "以分层促销代替依赖大促:新客首单折扣、老客阶梯满减。",
        "Tiered promotions instead of relying on big sales: first-order discounts, loyalty tiers.",
    ),
    (
        "channel",
        "私域闭环:社群+小程序+企业微信",
        "A private-domain loop: community, mini program, WeCom",
        "私域闭环(社群、小程序、企业微信);新增 5 个城市的门店与经销商。",
        "Private-domain loop (community, mini program, WeCom); 5 new cities' stores and distributors.",
    ),
    (
        "promotion",
        "内容营销与 KOL/KOC 合作,A/B 测试优化投放",
        "Content marketing with KOL/KOC partners, A/B-tested ads",
        "痛点内容、KOL/KOC 合作、UGC 活动,投放经 A/B 测试优化。",
        "Pain-point content, KOL/KOC partnerships, UGC campaigns, A/B-tested ads.",
    ),
]
SAFEGUARDS = [
    (
        "team",
        "新增内容运营、数据分析师岗位,明确 KPI",
        "New content-operations and data-analyst roles with KPIs",
        "新增内容运营、数据分析师岗位,明确各岗位 KPI(如单条视频播放量超 1 万)。",
        "New content-operations and data-analyst roles with KPIs (e.g. videos over 10,000 plays).",
    ),
    (
        "training",
        "每季度新媒体营销与客户心理学培训",
        "Quarterly training in new-media marketing and customer psychology",
        "每季度开展新媒体营销、客户心理学专项培训。",
        "Quarterly training in new-media marketing and customer psychology.",
    ),
    (
        "collaboration",
        "市场-销售-产品周会制度",
        "A weekly marketing, sales and product meeting",
        "建立“市场-销售-产品”周会制度,同步需求与问题。",
        "A weekly marketing / sales / product meeting to share needs and problems.",
    ),
    (
        "risk",
        "竞品动作 24 小时响应机制;关键项目里程碑逾期预警",
        "Answer competitors within 24 hours; milestone warnings on key projects",
        "竞品动作 24 小时内响应;关键项目设置里程碑逾期预警;广告内容预审。",
        "Answer a competitor's move within 24 hours; milestone warnings on key projects; ad copy pre-review.",
    ),
]
# quarter, theme in Chinese, theme in English, key actions in Chinese, key actions in English
QUARTERS = [
    (
        1,
        "启动期",
        "Launch",
        "新品预热(概念海报、KOL 试用)、春节/3·8 节促销,搭建私域基础",
        "New product warm-up (concept posters, KOL trials), Spring Festival and 8 March promotions, private-domain groundwork",
    ),
    (
        2,
        "攻坚期",
        "Push",
        "新品上市、618 大促,拓展线下新渠道(签约经销商)",
        "New product launch, the 618 promotion, new offline channels (signing distributors)",
    ),
    (
        3,
        "冲刺期",
        "Sprint",
        "中秋/国庆促销,举办品牌主题活动(行业峰会、用户见面会)",
        "Mid-Autumn and National Day promotions, brand events (an industry summit, user meet-ups)",
    ),
    (
        4,
        "复盘期",
        "Review",
        "双 11/双 12 大促,年度客户答谢,复盘全年数据并规划下一年",
        "Double 11 and Double 12 promotions, customer thanks, the year's review and next year's plan",
    ),
]
# metric, category, baseline, target, quarterly shares (percent) or None
PLAN_TARGETS = [
    ("sales_revenue", "performance", "100000000", "120000000", (20, 25, 25, 30)),
    ("profit", "performance", "18000000", "21600000", (20, 25, 25, 30)),
    ("market_share", "performance", "8", "10", None),
    ("reach", "brand", "3500000", "5000000", None),
    ("positive_review_rate", "brand", "92", "95", None),
    ("negative_response_hours", "brand", "12", "4", None),
    ("new_customers", "customer", "42000", "50000", (20, 25, 25, 30)),
    ("repurchase_rate", "customer", "28", "35", None),
    ("members", "customer", "150000", "200000", None),
]
# category, channel code, description, amount
BUDGET = [
    ("channel", "ecommerce", "电商平台投放 E-commerce platforms", "5000000"),
    ("channel", "short_video", "短视频与直播 Short video and live", "4000000"),
    ("channel", "private_domain", "私域运营 Private domain", "3000000"),
    ("promotion", None, "大促与内容推广 Promotions and content", "9000000"),
    ("product", None, "新品与产品线 New products", "4500000"),
    ("people", None, "团队与培训 Team and training", "4500000"),
]


def _user(username: str) -> User:
    return User.objects.get(username=username)


@transaction.atomic
def seed(*, stdout=None):
    today = timezone.localdate()
    manager, executive = _user("manager"), _user("executive")
    plan = AnnualPlan.objects.filter(year=today.year, title=PLAN_TITLE).first()
    if plan is None:
        plan = _create_plan(year=today.year, manager=manager, executive=executive)
    campaign = plan.campaigns.filter(name=CAMPAIGN_NAME).first()
    if campaign is None:
        campaign = _create_campaign(plan=plan, manager=manager, today=today)
    _record_values(plan=plan, campaign=campaign, manager=manager, today=today)
    return plan


def _create_plan(*, year: int, manager: User, executive: User) -> AnnualPlan:
    plan = services.plan_create(
        year=year,
        title=PLAN_TITLE,
        owner=manager,
        budget=Decimal("30000000"),
        summary="以数据为镜,以趋势为帆。Sales +20%, a stronger brand and loyal customers.",
    )
    for section, items in (
        (PlanSection.REVIEW, REVIEW),
        (PlanSection.CHALLENGE, CHALLENGES),
        (PlanSection.STRATEGY, STRATEGIES),
        (PlanSection.SAFEGUARD, SAFEGUARDS),
    ):
        for order, (category, title_zh, title_en, body_zh, body_en) in enumerate(items):
            services.plan_item_save(
                plan=plan,
                section=section,
                category=category,
                title_zh=title_zh,
                title_en=title_en,
                body_zh=body_zh,
                body_en=body_en,
                sort_order=order,
            )
    for quarter, theme_zh, theme_en, actions_zh, actions_en in QUARTERS:
        services.quarter_focus_set(
            plan=plan,
            quarter=quarter,
            theme_zh=theme_zh,
            theme_en=theme_en,
            key_actions_zh=actions_zh,
            key_actions_en=actions_en,
        )
    for order, (code, category, baseline, target, shares) in enumerate(PLAN_TARGETS):
        value = Decimal(target)
        split = [value * share / 100 for share in shares] if shares else [None] * 4
        services.target_save(
            data=TargetInput(
                metric=Metric.objects.get(code=code),
                category=category,
                baseline=Decimal(baseline),
                target_value=value,
                q1=split[0],
                q2=split[1],
                q3=split[2],
                q4=split[3],
                sort_order=order,
            ),
            plan=plan,
        )
    for category, channel, description, amount in BUDGET:
        services.budget_line_save(
            plan=plan,
            category=category,
            planned_amount=Decimal(amount),
            description=description,
            channel=Channel.objects.get(code=channel) if channel else None,
        )
    services.plan_set_status(plan=plan, status=PlanStatus.APPROVED, by=executive)
    services.plan_set_status(plan=plan, status=PlanStatus.ACTIVE, by=manager)
    return plan


def _create_campaign(*, plan: AnnualPlan, manager: User, today: date) -> Campaign:
    start = today - timedelta(days=13)
    campaign = services.campaign_create(
        plan=plan,
        name=CAMPAIGN_NAME,
        type=CampaignType.NEW_PRODUCT_LAUNCH,
        owner=manager,
        start_date=start,
        end_date=start + timedelta(days=29),
        budget=Decimal("300000"),
        description="新品上市首月销量破 5 万件:线上 3 万件、线下 2 万件。First-month sales of 50,000 units.",
    )
    # It moves to executing in tasks' demo, once its stages and tasks pass the kickoff gate.
    metric = {m.code: m for m in Metric.objects.all()}
    online, offline = Channel.objects.get(code="online"), Channel.objects.get(code="offline")
    sales = services.target_save(
        data=TargetInput(
            metric=metric["units_sold"],
            category="performance",
            target_value=Decimal(50000),
            name="新品首月销量 First-month unit sales",
        ),
        campaign=campaign,
    )
    services.target_save(
        data=TargetInput(
            metric=metric["units_sold"], category="performance", target_value=Decimal(30000), channel=online
        ),
        parent=sales,
    )
    services.target_save(
        data=TargetInput(
            metric=metric["units_sold"], category="performance", target_value=Decimal(20000), channel=offline
        ),
        parent=sales,
    )
    for order, (code, category, value) in enumerate(
        [
            ("new_members", "customer", 10000),
            ("exposure", "brand", 5000000),
            ("marketing_cost", "performance", 300000),
            ("roi", "performance", 5),
        ],
        start=1,
    ):
        services.target_save(
            data=TargetInput(metric=metric[code], category=category, target_value=Decimal(value), sort_order=order),
            campaign=campaign,
        )
    return campaign


def _record_values(*, plan: AnnualPlan, campaign: Campaign, manager: User, today: date) -> None:
    """Daily campaign figures to yesterday and the plan's monthly figures to last month; only
    the missing ones are added."""
    metric = {m.code: m for m in Metric.objects.all()}
    online, offline = Channel.objects.get(code="online"), Channel.objects.get(code="offline")
    rows = []
    day = campaign.start_date
    while day < today and day <= campaign.end_date:
        n = (day - campaign.start_date).days
        wobble = Decimal((n * 37) % 11 - 5) / 100  # a repeatable ±5% day-to-day variation
        for code, channel, base in (
            ("units_sold", online, 600),
            ("units_sold", offline, 670),
            ("new_members", None, 380),
            ("exposure", None, 180000),
            # The cost by channel, 10,500 a day in all: online spends less each day and offline
            # more, so online overtakes offline in the channel-efficiency ranking (渠道效能榜).
            ("marketing_cost", online, 7000 - 250 * min(n, 12)),
            ("marketing_cost", offline, 3500 + 250 * min(n, 12)),
            # ROI is derived (net profit / cost): a daily net profit of 4.2 × the cost reads 1:4.2.
            ("marketing_net_profit", None, 44100),
        ):
            rows.append(
                ValueRow(
                    metric=metric[code],
                    date=day,
                    value=(Decimal(base) * (1 + wobble)).quantize(Decimal(1)),
                    plan=plan,
                    campaign=campaign,
                    channel=channel,
                )
            )
        day += timedelta(days=1)
    for month in range(1, today.month):
        end = date(today.year, month + 1, 1) - timedelta(days=1)
        for code, value in (
            ("sales_revenue", 7900000 + month * 120000),
            ("profit", 1450000 + month * 20000),
            ("new_customers", 3300 + month * 40),
        ):
            rows.append(ValueRow(metric=metric[code], date=end, value=Decimal(value), plan=plan))
        for code, value in (
            ("market_share", Decimal("8.4") + Decimal(month) / 20),
            ("members", 150000 + month * 3500),
            ("repurchase_rate", 29 + month * Decimal("0.4")),
            ("positive_review_rate", Decimal("93.5")),
            ("negative_response_hours", Decimal(9) - Decimal(month) / 4),
            ("reach", 330000),
        ):
            rows.append(ValueRow(metric=metric[code], date=end, value=Decimal(value), plan=plan))
    existing = set(MetricValue.objects.filter(plan=plan).values_list(*METRIC_VALUE_KEY))
    missing = [
        row
        for row in rows
        if metric_value_key(
            metric_id=row.metric.pk,
            plan_id=plan.pk,
            campaign_id=row.campaign.pk if row.campaign else None,
            channel_id=row.channel.pk if row.channel else None,
            date=row.date,
        )
        not in existing
    ]
    if missing:
        services.metric_values_record(rows=missing, source=ValueSource.MANUAL, recorded_by=manager)
