"""The campaign lifecycle gates: what a campaign must have before it moves into a status.

Plans checks what it owns (goals and the split of the headline goal); the apps above it own
the rest (tasks: stages and tasks with their R and A; reviews: a final review before the
archive) and register their checks here from their AppConfig.ready, since plans cannot
import them. campaign_set_status refuses the move with every missing thing listed.
"""

from collections import defaultdict
from collections.abc import Callable

from django.utils.translation import gettext as _

from .models import Campaign, CampaignStatus

Check = Callable[[Campaign], list[str]]

_checks: dict[str, list[Check]] = defaultdict(list)


def register(status: str, check: Check) -> None:
    """Add a check run before a campaign moves into `status` (once per check)."""
    if check not in _checks[status]:
        _checks[status].append(check)


def missing(campaign: Campaign, status: str) -> list[str]:
    """What the campaign lacks to move into `status`, in words a person can act on; empty when
    nothing is missing."""
    return [problem for check in _checks.get(status, []) for problem in check(campaign)]


def _goals_broken_down(campaign: Campaign) -> list[str]:
    goals = list(campaign.targets.filter(parent__isnull=True).order_by("sort_order", "pk"))
    if not goals:
        return [_("Goals: the campaign has none yet.")]
    headline = goals[0]
    if not headline.children.exists():
        return [
            _("Sub-goals: the headline goal “%(goal)s” is not split into sub-goals yet.") % {"goal": headline.label}
        ]
    return []


register(CampaignStatus.EXECUTING, _goals_broken_down)
