"""Reviews for tests: the execution template's own form 4 example as a finished campaign."""

from datetime import date
from decimal import Decimal

from accounts.models import Role
from plans.models import Campaign, CampaignStatus
from reviews.services.reviews import review_open

from .plans import CampaignFactory, TargetFactory, metric, record_value

# Form 4's example: target, actual (the last two days of the campaign carry the actuals).
FORM4 = {
    "units_sold": ("performance", "50000", "48000"),
    "new_members": ("customer", "10000", "12000"),
    "exposure": ("brand", "5000000", "6200000"),
    "marketing_cost": ("performance", "300000", "320000"),
}

# Who edits a draft review, pages and API alike ("owner": the campaign's), and who does not.
REVIEW_WRITERS = ["admin", Role.MARKETING_MANAGER, "owner"]
NOT_REVIEW_WRITERS = [Role.EXECUTIVE, Role.STAFF, Role.DEPARTMENT_LEAD, Role.VIEWER]


def form4_campaign(**fields) -> Campaign:
    """A finished campaign (June 2026) whose recorded values give form 4's example: sales 96%,
    new members 120%, exposure 124%, cost 107% (a miss), ROI 1:4.2 against 1:5."""
    campaign = CampaignFactory(
        status=CampaignStatus.EXECUTING, start_date=date(2026, 6, 1), end_date=date(2026, 6, 30), **fields
    )
    for order, (code, (category, target, actual)) in enumerate(FORM4.items()):
        TargetFactory(
            campaign=campaign, metric=metric(code), category=category, target_value=Decimal(target), sort_order=order
        )
        half = Decimal(actual) / 2
        record_value(campaign, code=code, on=date(2026, 6, 10), value=str(half))
        record_value(campaign, code=code, on=date(2026, 6, 20), value=str(Decimal(actual) - half))
    TargetFactory(
        campaign=campaign, metric=metric("roi"), category="performance", target_value=Decimal(5), sort_order=9
    )
    # ROI 4.2 on a cost of 320,000: a marketing net profit of 1,344,000.
    record_value(campaign, code="marketing_net_profit", on=date(2026, 6, 20), value="1344000")
    return campaign


def form4_review(**fields):
    return review_open(campaign=form4_campaign(**fields))
