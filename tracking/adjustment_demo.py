"""The demo's adjustments of the launch campaign: one approved budget reallocation towards
e-commerce platforms (requested by 黄经理, approved by 王经理 as the marketing lead and 陈总 as
the executive), one target adjustment approved by the marketing lead and waiting for the
executive, and one schedule change of a task rejected by the campaign's owner. Running it again
changes nothing."""

from decimal import Decimal

from accounts.models import User
from plans.models import BudgetLine, Campaign
from tasks.models import Task

from .models import Adjustment
from .services.adjustments import ProposedChange, adjustment_approve, adjustment_reject, adjustment_request


def seed_adjustments(*, campaign: Campaign, stdout=None) -> None:
    if Adjustment.objects.filter(campaign=campaign).exists():
        return
    people = {user.username: user for user in User.objects.filter(username__in=["manager", "executive", "brand"])}
    manager, executive, brand = people.get("manager"), people.get("executive"), people.get("brand")
    if not (manager and executive and brand):
        return
    lines = {line.channel.code: line for line in BudgetLine.objects.filter(plan=campaign.plan, channel__isnull=False)}
    ecommerce, short_video = lines.get("ecommerce"), lines.get("short_video")
    if ecommerce and short_video:
        moved = Decimal("500000")
        reallocation = adjustment_request(
            by=brand,
            kind="budget",
            campaign=campaign,
            reason=(
                "电商平台本周渠道效能榜第一,短视频转化偏低:将 50 万预算从短视频转到电商平台。"
                "E-commerce tops this week's channel-efficiency ranking; short video converts poorly."
            ),
            expected_effect="电商平台追加投放,预计首月多售 3,000 件。About 3,000 more units in the first month.",
            changes=[
                ProposedChange(
                    subject="budget_line",
                    object_id=short_video.pk,
                    field="planned_amount",
                    after=short_video.planned_amount - moved,
                ),
                ProposedChange(
                    subject="budget_line",
                    object_id=ecommerce.pk,
                    field="planned_amount",
                    after=ecommerce.planned_amount + moved,
                ),
            ],
        )
        adjustment_approve(adjustment=reallocation, by=manager, note="同意,按周复盘效果。")
        adjustment_approve(adjustment=reallocation, by=executive, note="同意。")
    offline_goal = campaign.targets.filter(parent__isnull=True, metric__code="units_sold").first()
    offline = offline_goal.children.filter(channel__code="offline").first() if offline_goal else None
    if offline is not None:
        target = adjustment_request(
            by=brand,
            kind="target",
            campaign=campaign,
            reason="线下门店铺货延迟一周,线下销量目标下调 10%。Stores received the product a week late.",
            expected_effect="线下目标 2 万 → 1.8 万件。",
            changes=[
                ProposedChange(
                    subject="target", object_id=offline.pk, field="target_value", after=offline.target_value * 9 / 10
                )
            ],
        )
        adjustment_approve(adjustment=target, by=manager, note="同意,报陈总审批。")
    task = Task.objects.filter(campaign=campaign, responsible__username="ecommerce").order_by("due_date").first()
    if task is not None:
        schedule = adjustment_request(
            by=task.responsible,
            kind="schedule",
            campaign=campaign,
            reason="素材审核较慢,申请延后 5 天。Creative review is slow: five more days.",
            changes=[
                ProposedChange(
                    subject="task",
                    object_id=task.pk,
                    field="due_date",
                    after=task.due_date.fromordinal(task.due_date.toordinal() + 5),
                )
            ],
        )
        adjustment_reject(
            adjustment=schedule, by=manager, reason="上市节奏不能推迟,请加派设计支持。The launch cannot wait."
        )
    if stdout is not None:
        stdout.write("Demo adjustments: one approved reallocation, one pending target change, one rejected.")
