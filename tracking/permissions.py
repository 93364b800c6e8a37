"""Who may do what with thresholds, alerts and chat webhooks: the same predicates for pages
and API, so they cannot drift apart."""

from accounts.permissions import is_administrator, is_marketing_manager
from plans.models import AnnualPlan, Campaign
from plans.permissions import can_edit_campaign

from .models import Alert, Threshold


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


# Weekly progress logs and the weekly review ------------------------------------------------


def can_view_weekly_logs(user) -> bool:
    """Everyone signed in reads weekly logs and the review, as they read campaigns."""
    return _signed_in(user)


def can_edit_weekly_log(user, campaign: Campaign) -> bool:
    """Those who edit a campaign (marketing managers and its owner) draft, edit, publish and
    correct its weekly logs; a campaign of a closed plan is frozen."""
    return _signed_in(user) and can_edit_campaign(user, campaign) and not campaign.plan.is_frozen
