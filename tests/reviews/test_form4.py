"""The review reproduces form 4's example from recorded values, through plans' attainment."""

from datetime import date
from decimal import Decimal

import pytest

from plans.models import MetricValue, Target
from reviews.models import Dimension, ReviewState
from reviews.reading import figure, whole_percent
from reviews.selectors import review_detail
from reviews.services.reviews import review_finalise
from tests.factories import UserFactory
from tests.factories.reviews import form4_review

pytestmark = pytest.mark.django_db

AFTER = date(2026, 7, 2)


def lines_by_metric(review):
    detail = review_detail(review_id=review.pk, today=AFTER)
    return {line.metric.code: line for line in detail["lines"]}


def test_the_lines_give_form_4s_attainment_and_verdicts():
    lines = lines_by_metric(form4_review())

    readings = {code: (whole_percent(line.figures.attainment), line.figures.met) for code, line in lines.items()}

    assert readings == {
        "units_sold": ("96%", False),
        "new_members": ("120%", True),
        "exposure": ("124%", True),
        "marketing_cost": ("107%", False),
        "roi": ("84%", False),
    }


def test_roi_reads_as_a_ratio_and_a_percentage():
    roi = lines_by_metric(form4_review())["roi"]

    assert figure(roi.figures.target, "ratio") == "1:5 (500%)"
    assert figure(roi.figures.actual, "ratio") == "1:4.2 (420%)"


def test_lines_take_form_4s_dimensions():
    lines = lines_by_metric(form4_review())

    assert {code: line.dimension for code, line in lines.items()} == {
        "units_sold": Dimension.SALES,
        "new_members": Dimension.USER_GROWTH,
        "exposure": Dimension.REACH,
        "marketing_cost": Dimension.COST,
        "roi": Dimension.OVERALL,
    }


def test_a_draft_follows_live_values_and_final_freezes_them():
    review = form4_review()
    MetricValue.objects.filter(metric__code="units_sold", date=date(2026, 6, 20)).update(value=Decimal("26000"))
    assert whole_percent(lines_by_metric(review)["units_sold"].figures.attainment) == "100%"

    review_finalise(review=review, by=UserFactory(), today=AFTER)
    MetricValue.objects.filter(metric__code="units_sold", date=date(2026, 6, 20)).update(value=Decimal("1"))

    review.refresh_from_db()
    assert review.state == ReviewState.FINAL
    assert whole_percent(lines_by_metric(review)["units_sold"].figures.attainment) == "100%"


def test_an_adjusted_target_shows_the_original_and_both_attainments():
    review = form4_review()
    Target.objects.filter(campaign=review.campaign, metric__code="units_sold").update(
        original_value=Decimal("50000"), target_value=Decimal("40000")
    )

    figures = lines_by_metric(review)["units_sold"].figures

    assert figures.adjusted
    assert (figures.original_target, figures.target) == (Decimal("50000"), Decimal("40000"))
    assert (whole_percent(figures.attainment), whole_percent(figures.original_attainment)) == ("120%", "96%")
