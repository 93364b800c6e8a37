"""The launch campaign's issue register in the demo: the issue opened from the alert on online
sales (linked to it), and the design material arriving late (the blocked task's reason, with
that task affected). Seeding again finds them and changes nothing."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import Department, User
from plans.models import Campaign
from tasks.models import StatusUpdate, Task, TaskStatus

from .models import Alert, Issue, IssueState
from .services.issues import issue_create, issue_create_from_alert, issue_set_state, issue_update

DESIGN_DESCRIPTION = "设计素材未按时到位,新品详情页无法按期上线"


def seed_issues(*, campaign: Campaign, manager: User | None) -> list[Issue]:
    issues = []
    today = timezone.localdate()
    online = (
        Alert.objects.unresolved()
        .filter(campaign=campaign, threshold__target__channel__code="online")
        .select_related("threshold", "campaign")
        .first()
    )
    if online is not None and manager is not None and online.issue_id is None:
        issue, created = issue_create_from_alert(alert=online, by=manager, language="zh-hans")
        if created:
            issue_update(
                issue=issue,
                by=manager,
                owner=User.objects.filter(username="ecom_lead").first(),
                temporary_measure="加大直播间投放,首页资源位向新品倾斜,发放限时满减券",
                root_cause="上线首周流量不足,详情页延迟上线拖累转化",
                deadline=today + timedelta(days=7),
            )
            issue_set_state(issue=issue, by=manager, state=IssueState.MITIGATED, reason="临时措施已执行,观察一周")
        issues.append(issue)
    blocked = Task.objects.filter(campaign=campaign, status=TaskStatus.BLOCKED).order_by("pk").first()
    if blocked is not None and not Issue.objects.filter(campaign=campaign, description=DESIGN_DESCRIPTION).exists():
        update = (
            StatusUpdate.objects.filter(task=blocked, new_status=TaskStatus.BLOCKED).order_by("-created_at").first()
        )
        occurred_at = update.created_at if update is not None else timezone.now()
        issues.append(
            issue_create(
                campaign=campaign,
                description=DESIGN_DESCRIPTION,
                occurred_at=occurred_at,
                affected_tasks=[blocked],
                department=Department.objects.filter(name="设计部").first(),
                owner=User.objects.filter(username="design").first(),
                temporary_measure="先用旧版主图与卖点文案上线详情页,新素材到位后替换",
                root_cause=update.note if update is not None else "",
                long_term_solution="素材需求提前两周提交设计部排期,每周例会跟踪",
                deadline=max(today + timedelta(days=3), timezone.localdate(occurred_at)),
                by=manager,
            )
        )
    return issues
