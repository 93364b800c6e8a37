"""Who may do what with thresholds, alerts and chat webhooks: the same predicates for pages
and API, so they cannot drift apart."""

from accounts.permissions import is_administrator, is_executive, is_marketing_manager
from plans.models import AnnualPlan, Campaign
from plans.permissions import can_edit_campaign

from .models import Adjustment, AdjustmentKind, AdjustmentState, Alert, ApprovalStep, Issue, Threshold


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


def can_view_alerts(user) -> bool:
    """Everyone signed in reads alerts and thresholds (staff, leads, viewers, BI tokens)."""
    return _signed_in(user)


def threshold_campaign(threshold: Threshold) -> Campaign | None:
    """The campaign a threshold watches, directly or through its campaign goal."""
    if threshold.campaign_id:
        return threshold.campaign
    if threshold.target_id and threshold.target.campaign_id:
        return threshold.target.campaign
    return None


def can_manage_thresholds(user, *, campaign: Campaign | None = None, plan: AnnualPlan | None = None) -> bool:
    """Marketing managers set thresholds anywhere; a campaign's owner sets them on their
    campaign (its goals and sub-goals). Thresholds of plan targets are for managers."""
    if not _signed_in(user):
        return False
    if is_administrator(user) or is_marketing_manager(user):
        return True
    return campaign is not None and campaign.owner_id == user.pk


def can_edit_threshold(user, threshold: Threshold) -> bool:
    return can_manage_thresholds(user, campaign=threshold_campaign(threshold))


def was_notified(user, alert: Alert) -> bool:
    return alert.notifications.filter(recipient=user).exists()


def can_respond_to_alert(user, alert: Alert, *, notified: bool | None = None) -> bool:
    """Acknowledge or resolve: marketing managers, the campaign's owner, and the people the
    alert was sent to (they have a notification for it). ``notified`` saves the query when
    the caller already knows."""
    if not _signed_in(user):
        return False
    if is_administrator(user) or is_marketing_manager(user):
        return True
    if alert.campaign_id and alert.campaign.owner_id == user.pk:
        return True
    return was_notified(user, alert) if notified is None else notified


# Issues (the register, form 3) -------------------------------------------------------------
# Who reads an issue is Issue.objects.visible_to(user); what each may change is below.

ISSUE_MANAGE = "manage"  # every column, the state, the alerts: managers and the campaign's owner
ISSUE_UPDATE = "update"  # every column and the state: the department's lead and the issue's owner
ISSUE_PROPOSE = "propose"  # the temporary measure only: the affected tasks' Responsible and Accountable
ISSUE_READ = "read"
# The one column a task's Responsible or Accountable may propose.
PROPOSABLE_FIELDS = frozenset({"temporary_measure"})


def can_manage_issues(user, *, campaign: Campaign) -> bool:
    """Marketing managers and a campaign's owner record and manage all of its issues."""
    if not _signed_in(user):
        return False
    return is_administrator(user) or is_marketing_manager(user) or campaign.owner_id == user.pk


def can_manage_issues_anywhere(user) -> bool:
    """Marketing managers (and administrators) manage every campaign's issues."""
    return _signed_in(user) and (is_administrator(user) or is_marketing_manager(user))


def can_record_issue(user, *, campaign: Campaign) -> bool:
    """Record a new issue: those who manage the campaign's issues, and department leads (for
    their department)."""
    return can_manage_issues(user, campaign=campaign) or leads_a_department(user)


def leads_a_department(user) -> bool:
    return _signed_in(user) and user.led_departments.exists()


def issue_access(user, issue: Issue) -> str | None:
    """What a person may do with an issue (one of the ISSUE_* levels), None when they may not
    see it. Reads the issue's campaign, department and (prefetched) affected tasks."""
    if not _signed_in(user):
        return None
    if can_manage_issues(user, campaign=issue.campaign):
        return ISSUE_MANAGE
    if issue.owner_id == user.pk or (issue.department_id and issue.department.lead_id == user.pk):
        return ISSUE_UPDATE
    if any(user.pk in (task.responsible_id, task.accountable_id) for task in issue.affected_tasks.all()):
        return ISSUE_PROPOSE
    if issue.created_by_id == user.pk or Issue.objects.visible_to(user).filter(pk=issue.pk).exists():
        return ISSUE_READ
    return None


def can_edit_issue_fields(access: str | None, fields) -> bool:
    """Whether an access level allows changing these columns."""
    if access in (ISSUE_MANAGE, ISSUE_UPDATE):
        return True
    return access == ISSUE_PROPOSE and set(fields) <= PROPOSABLE_FIELDS


def can_change_issue_state(access: str | None) -> bool:
    return access in (ISSUE_MANAGE, ISSUE_UPDATE)


def can_open_issue_from_alert(user, alert: Alert) -> bool:
    """Turn an alert into an issue (or link one): those who answer the alert and those who
    manage its campaign's issues."""
    if alert.campaign_id is None:
        return False
    return can_respond_to_alert(user, alert) or can_manage_issues(user, campaign=alert.campaign)


def can_manage_webhooks(user, *, campaign: Campaign) -> bool:
    """A campaign's chat groups are set up by those who set its thresholds: marketing
    managers and the campaign's owner."""
    return can_manage_thresholds(user, campaign=campaign)


# Adjustments ---------------------------------------------------------------------------------
# The marketing lead (营销负责人) who approves major adjustments first is the plan's owner, the
# marketing manager who built the annual plan; when the plan's owner requested it themselves,
# another marketing manager decides in their place. Executives (分管领导) decide last.


def can_view_adjustments(user) -> bool:
    """Everyone signed in reads adjustments, as they read the plans they change."""
    return _signed_in(user)


def can_request_adjustment(user, *, plan: AnnualPlan, campaign: Campaign | None, kind: str, tasks=()) -> bool:
    """Marketing managers request any adjustment; a campaign's owner requests those of their
    campaign; the Responsible or Accountable of a task requests a schedule change of it
    (`tasks`: the tasks a schedule request changes, when it changes tasks only)."""
    if not _signed_in(user) or plan.is_frozen:
        return False
    if is_administrator(user) or is_marketing_manager(user):
        return True
    if campaign is None:
        return False
    if campaign.owner_id == user.pk:
        return True
    return (
        kind == AdjustmentKind.SCHEDULE
        and bool(tasks)
        and all(user.pk in (task.responsible_id, task.accountable_id) for task in tasks)
    )


def may_decide(user, adjustment: Adjustment) -> bool:
    """Whether a person decides the step a pending adjustment awaits: a minor one's campaign
    owner, a major one's marketing lead and then any executive; never the requester."""
    if not _signed_in(user) or adjustment.state != AdjustmentState.PENDING:
        return False
    if user.pk == adjustment.requested_by_id:
        return False
    step, plan = adjustment.awaiting, adjustment.plan
    if step == ApprovalStep.EXECUTIVE:
        return is_executive(user)
    campaign = adjustment.campaign if adjustment.campaign_id else None
    if step == ApprovalStep.OWNER and campaign is not None and campaign.owner_id != adjustment.requested_by_id:
        return campaign.owner_id == user.pk
    if plan.owner_id != adjustment.requested_by_id:
        return plan.owner_id == user.pk
    return is_marketing_manager(user)


def can_withdraw_adjustment(user, adjustment: Adjustment) -> bool:
    return _signed_in(user) and adjustment.state == AdjustmentState.PENDING and adjustment.requested_by_id == user.pk


# Weekly progress logs and the weekly review ------------------------------------------------


def can_view_weekly_logs(user) -> bool:
    """Everyone signed in reads weekly logs and the review, as they read campaigns."""
    return _signed_in(user)


def can_edit_weekly_log(user, campaign: Campaign) -> bool:
    """Those who edit a campaign (marketing managers and its owner) draft, edit, publish and
    correct its weekly logs; a campaign of a closed plan is frozen."""
    return _signed_in(user) and can_edit_campaign(user, campaign) and not campaign.plan.is_frozen
