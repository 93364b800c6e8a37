"""Who may do what with thresholds, alerts and chat webhooks: the same predicates for pages
and API, so they cannot drift apart."""

from accounts.permissions import is_administrator, is_executive, is_marketing_manager
from plans.models import AnnualPlan, Campaign
from plans.permissions import can_edit_campaign

from .models import Adjustment, AdjustmentKind, AdjustmentState, Alert, ApprovalStep, Threshold


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
