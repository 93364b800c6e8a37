"""What reviews hands to the layers below it, registered from ReviewsConfig.ready: the archive
gate (plans.gates), follow-up actions on My tasks (tasks.extras) and in the daily digest
(tracking.digest_extras), and its notification kinds."""

from collections import defaultdict
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from tasks.extras import ExtraItem, ExtraSection
from tracking.digest_extras import DigestSection

from . import permissions
from .models import FollowUpAction
from .selectors import follow_up_actions_of


def my_follow_up_actions(*, user, today: date) -> ExtraSection:
    """A person's follow-up actions for My tasks: open ones (overdue in red) and those done this week."""
    return ExtraSection(
        key="follow-up-actions",
        title=_("Follow-up actions"),
        items=[
            ExtraItem(
                text=action.action,
                context=action.review.campaign.name,
                due_date=action.due_date,
                overdue=action.overdue,
                done=action.state == "done",
                url=action.review.get_absolute_url(),
                done_url=reverse("reviews:action_done", args=[action.pk])
                if permissions.can_complete_action(user, action)
                else "",
                note=action.done_note,
            )
            for action in follow_up_actions_of(user=user, today=today)
        ],
    )


def _due_actions(today: date) -> dict[int, list[FollowUpAction]]:
    """Open follow-up actions due today or overdue, by owner, in one query."""
    found = defaultdict(list)
    for action in (
        FollowUpAction.objects.open()
        .filter(due_date__lte=today, owner__is_active=True)
        .select_related("review__campaign")
        .order_by("due_date", "pk")
    ):
        found[action.owner_id].append(action)
    return found


def _action_line(action: FollowUpAction) -> str:
    return _("%(action)s (%(campaign)s), due %(due)s") % {
        "action": action.action,
        "campaign": action.review.campaign.name,
        "due": action.due_date.isoformat(),
    }


DIGEST_SECTION = DigestSection(heading=lambda: _("Follow-up actions due"), line=_action_line, items=_due_actions)
