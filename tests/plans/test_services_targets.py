from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Role
from plans.models import (
    AnnualPlan,
    CampaignStatus,
    MetricValue,
    PlanItem,
    PlanStatus,
    Target,
    ValueSource,
)
from plans.services import (
    TargetInput,
    ValueRow,
    budget_line_save,
    campaign_create,
    campaign_set_status,
    metric_values_record,
    plan_create,
    plan_item_save,
    plan_set_status,
    quarter_focus_set,
    target_save,
)
from tests.factories import AnnualPlanFactory, CampaignFactory, TargetFactory, UserFactory, channel, metric

pytestmark = pytest.mark.django_db


def messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def goal_input(value="50000", code="units_sold", **fields) -> TargetInput:
    return TargetInput(metric=metric(code), category="performance", target_value=Decimal(value), **fields)


@pytest.fixture
def campaign():
    return CampaignFactory(start_date=date(2026, 6, 1), end_date=date(2026, 6, 30))


@pytest.fixture
def goal(campaign):
    """A campaign goal of 50,000 units."""
    return target_save(data=goal_input("50000"), campaign=campaign)


# plans --------------------------------------------------------------------------------------


def test_plan_create_starts_in_draft(manager):
    plan = plan_create(year=2026, title="2026 plan", owner=manager)

    assert plan.status == PlanStatus.DRAFT
    assert plan.approved_by is None


def test_plan_create_refuses_a_year_out_of_range_naming_the_field(manager):
    with pytest.raises(ValidationError) as error:
        plan_create(year=1999, title="Old", owner=manager)

    assert error.value.message_dict == {"year": ["The year must be between 2000 and 2100."]}
    assert not AnnualPlan.objects.exists()


@pytest.mark.parametrize(
    ("start", "wanted"),
    [
        (PlanStatus.DRAFT, PlanStatus.APPROVED),
        (PlanStatus.APPROVED, PlanStatus.ACTIVE),
        (PlanStatus.ACTIVE, PlanStatus.CLOSED),
        (PlanStatus.APPROVED, PlanStatus.DRAFT),
    ],
)
def test_plan_status_moves_forward_one_step_or_back_to_draft_from_approved(start, wanted, manager):
    plan = AnnualPlanFactory(status=start)

    plan_set_status(plan=plan, status=wanted, by=manager)

    plan.refresh_from_db()
    assert plan.status == wanted


@pytest.mark.parametrize(
    ("start", "wanted"),
    [
        (PlanStatus.DRAFT, PlanStatus.ACTIVE),
        (PlanStatus.DRAFT, PlanStatus.CLOSED),
        (PlanStatus.ACTIVE, PlanStatus.DRAFT),
        (PlanStatus.CLOSED, PlanStatus.ACTIVE),
        (PlanStatus.ACTIVE, PlanStatus.APPROVED),
    ],
)
def test_plan_status_refuses_skipping_or_going_back(start, wanted, manager):
    plan = AnnualPlanFactory(status=start)

    with pytest.raises(ValidationError) as error:
        plan_set_status(plan=plan, status=wanted, by=manager)

    assert "status" in error.value.message_dict
    plan.refresh_from_db()
    assert plan.status == start


def test_plan_status_may_be_forced_past_the_order(admin_user):
    plan = AnnualPlanFactory(status=PlanStatus.CLOSED)

    plan_set_status(plan=plan, status=PlanStatus.DRAFT, by=admin_user, force=True)

    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_approving_a_plan_records_who_and_when(manager):
    plan = AnnualPlanFactory(status=PlanStatus.DRAFT)
    before = timezone.now()

    plan_set_status(plan=plan, status=PlanStatus.APPROVED, by=manager)

    plan.refresh_from_db()
    assert plan.approved_by == manager
    assert before <= plan.approved_at <= timezone.now()


def test_only_one_plan_per_year_may_be_active(manager):
    AnnualPlanFactory(year=2026, status=PlanStatus.ACTIVE)
    second = AnnualPlanFactory(year=2026, status=PlanStatus.APPROVED)

    with pytest.raises(ValidationError) as error:
        plan_set_status(plan=second, status=PlanStatus.ACTIVE, by=manager)

    assert "already active for 2026" in messages(error.value)
    second.refresh_from_db()
    assert second.status == PlanStatus.APPROVED


def test_a_plan_of_another_year_may_be_active_alongside(manager):
    AnnualPlanFactory(year=2026, status=PlanStatus.ACTIVE)
    next_year = AnnualPlanFactory(year=2027, status=PlanStatus.APPROVED)

    plan_set_status(plan=next_year, status=PlanStatus.ACTIVE, by=manager)

    assert AnnualPlan.objects.active().count() == 2


def test_a_status_change_is_kept_in_history_with_its_author_outside_a_request(manager):
    plan = AnnualPlanFactory(status=PlanStatus.DRAFT)

    plan_set_status(plan=plan, status=PlanStatus.APPROVED, by=manager)

    latest = plan.history.first()
    assert plan.history.count() == 2
    assert latest.status == PlanStatus.APPROVED
    assert latest.history_user == manager


def test_plan_item_save_refuses_a_category_of_another_section():
    plan = AnnualPlanFactory()

    with pytest.raises(ValidationError) as error:
        plan_item_save(plan=plan, section="strategy", category="competition", title="Price war")

    assert "category" in error.value.message_dict
    assert not PlanItem.objects.exists()


def test_plan_item_save_adds_then_changes_an_item():
    plan = AnnualPlanFactory()

    item = plan_item_save(plan=plan, section="challenge", category="competition", title="Price war")
    plan_item_save(plan=plan, section="challenge", category="conversion", title="Funnel leaks", item=item)

    item.refresh_from_db()
    assert (item.category, item.title) == ("conversion", "Funnel leaks")
    assert plan.items.count() == 1


def test_quarter_focus_set_replaces_the_quarter_theme():
    plan = AnnualPlanFactory()

    quarter_focus_set(plan=plan, quarter=1, theme="Launch")
    quarter_focus_set(plan=plan, quarter=1, theme="Launch and warm-up", key_actions="New line")

    assert [(q.quarter, q.theme) for q in plan.quarters.all()] == [(1, "Launch and warm-up")]


def test_budget_line_save_refuses_a_negative_amount_naming_the_field():
    with pytest.raises(ValidationError) as error:
        budget_line_save(plan=AnnualPlanFactory(), category="channel", planned_amount=Decimal("-1"))

    assert error.value.message_dict == {"planned_amount": ["The planned amount cannot be negative."]}


def test_budget_line_save_adds_a_line_on_a_channel():
    plan = AnnualPlanFactory()

    line = budget_line_save(plan=plan, category="channel", channel=channel("ecommerce"), planned_amount=Decimal(5))

    assert list(plan.budget_lines.all()) == [line]


# campaigns ----------------------------------------------------------------------------------


def test_campaign_create_starts_in_planning(manager):
    campaign = campaign_create(
        plan=AnnualPlanFactory(),
        name="618",
        type="promotion",
        owner=manager,
        start_date=date(2026, 6, 1),
        end_date=date(2026, 6, 18),
    )

    assert campaign.status == CampaignStatus.PLANNING


def test_campaign_create_refuses_an_end_before_the_start_naming_the_field(manager):
    with pytest.raises(ValidationError) as error:
        campaign_create(
            plan=AnnualPlanFactory(),
            name="618",
            type="promotion",
            owner=manager,
            start_date=date(2026, 6, 18),
            end_date=date(2026, 6, 1),
        )

    assert error.value.message_dict == {"end_date": ["The campaign ends before it starts."]}


def test_campaign_create_refuses_a_negative_budget_naming_the_field(manager):
    with pytest.raises(ValidationError) as error:
        campaign_create(
            plan=AnnualPlanFactory(),
            name="618",
            type="promotion",
            owner=manager,
            start_date=date(2026, 6, 1),
            end_date=date(2026, 6, 18),
            budget=Decimal("-100"),
        )

    assert error.value.message_dict == {"budget": ["The budget cannot be negative."]}


@pytest.mark.parametrize(
    ("start", "wanted"),
    [
        (CampaignStatus.PLANNING, CampaignStatus.EXECUTING),
        (CampaignStatus.EXECUTING, CampaignStatus.REVIEWING),
        (CampaignStatus.REVIEWING, CampaignStatus.ARCHIVED),
    ],
)
def test_campaign_status_moves_forward_one_step(start, wanted):
    campaign = CampaignFactory(status=start)

    campaign_set_status(campaign=campaign, status=wanted, by=campaign.owner)

    campaign.refresh_from_db()
    assert campaign.status == wanted


@pytest.mark.parametrize(
    ("start", "wanted"),
    [
        (CampaignStatus.EXECUTING, CampaignStatus.PLANNING),
        (CampaignStatus.PLANNING, CampaignStatus.REVIEWING),
        (CampaignStatus.ARCHIVED, CampaignStatus.ARCHIVED),
    ],
)
def test_campaign_status_refuses_going_back_or_skipping(start, wanted):
    campaign = CampaignFactory(status=start)

    with pytest.raises(ValidationError) as error:
        campaign_set_status(campaign=campaign, status=wanted, by=campaign.owner)

    assert "one step at a time" in messages(error.value)
    campaign.refresh_from_db()
    assert campaign.status == start


def test_campaign_status_may_be_moved_back_by_force():
    campaign = CampaignFactory(status=CampaignStatus.ARCHIVED)

    campaign_set_status(campaign=campaign, status=CampaignStatus.EXECUTING, by=campaign.owner, force=True)

    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.EXECUTING


def test_campaign_status_change_keeps_who_made_it_in_history():
    campaign = CampaignFactory(status=CampaignStatus.PLANNING)
    manager = UserFactory()

    campaign_set_status(campaign=campaign, status=CampaignStatus.EXECUTING, by=manager)

    latest = campaign.history.first()
    assert (latest.status, latest.history_user) == (CampaignStatus.EXECUTING, manager)


# targets: periods and values ----------------------------------------------------------------


def test_a_plan_target_defaults_to_the_plan_year():
    plan = AnnualPlanFactory(year=2027)

    target = target_save(data=goal_input(), plan=plan)

    assert (target.period_start, target.period_end) == (date(2027, 1, 1), date(2027, 12, 31))


def test_a_campaign_target_defaults_to_the_campaign_dates(campaign):
    target = target_save(data=goal_input(), campaign=campaign)

    assert (target.period_start, target.period_end) == (date(2026, 6, 1), date(2026, 6, 30))


def test_a_target_keeps_a_period_it_is_given(campaign):
    target = target_save(
        data=goal_input(period_start=date(2026, 6, 10), period_end=date(2026, 6, 18)), campaign=campaign
    )

    assert (target.period_start, target.period_end) == (date(2026, 6, 10), date(2026, 6, 18))


def test_a_target_period_ending_before_it_starts_is_refused(campaign):
    with pytest.raises(ValidationError) as error:
        target_save(data=goal_input(period_start=date(2026, 6, 18), period_end=date(2026, 6, 10)), campaign=campaign)

    assert "period_end" in error.value.message_dict


def test_a_target_of_neither_plan_nor_campaign_is_refused():
    with pytest.raises(ValidationError):
        target_save(data=goal_input())

    assert not Target.objects.exists()


@pytest.mark.parametrize(
    ("code", "value", "words"),
    [
        ("units_sold", "-10", "cannot be negative"),
        ("units_sold", "10.5", "whole number"),
        ("market_share", "120", "cannot be over 100"),
        ("marketing_cost", "-1", "cannot be negative"),
    ],
)
def test_a_target_value_impossible_for_its_unit_is_refused(campaign, code, value, words):
    with pytest.raises(ValidationError) as error:
        target_save(data=goal_input(value, code=code), campaign=campaign)

    assert words in " ".join(error.value.message_dict["target_value"])
    assert not Target.objects.exists()


def test_a_negative_profit_target_is_allowed(campaign):
    target = target_save(data=goal_input("-20000", code="profit"), campaign=campaign)

    assert target.target_value == Decimal("-20000")


def test_target_save_changes_an_existing_target(goal):
    target_save(data=goal_input("60000", name="Launch volume"), target=goal)

    goal.refresh_from_db()
    assert goal.target_value == Decimal("60000")
    assert goal.name == "Launch volume"
    assert Target.objects.count() == 1


def test_changing_a_target_is_kept_in_history(goal):
    before = goal.history.count()

    target_save(data=goal_input("60000"), target=goal)

    assert goal.history.count() == before + 1
    assert goal.history.first().target_value == Decimal("60000")


def test_a_history_row_carries_the_author_the_caller_names(goal, manager):
    goal._history_user = manager

    target_save(data=goal_input("60000"), target=goal)

    assert goal.history.first().history_user == manager


# targets: quarterly split -------------------------------------------------------------------


def test_a_quarterly_split_that_adds_up_is_saved():
    plan = AnnualPlanFactory()

    target = target_save(
        data=goal_input("100000", q1=Decimal(20000), q2=Decimal(25000), q3=Decimal(25000), q4=Decimal(30000)),
        plan=plan,
    )

    assert target.quarters == [Decimal(20000), Decimal(25000), Decimal(25000), Decimal(30000)]


def test_a_quarterly_split_over_the_target_says_by_how_much_more():
    plan = AnnualPlanFactory()

    with pytest.raises(ValidationError) as error:
        target_save(
            data=goal_input("100000", q1=Decimal(30000), q2=Decimal(30000), q3=Decimal(30000), q4=Decimal(20000)),
            plan=plan,
        )

    [message] = error.value.message_dict["q1"]
    assert "adds up to 110,000" in message
    assert "10,000 more than the target of 100,000" in message
    assert not Target.objects.exists()


def test_a_quarterly_split_under_the_target_says_by_how_much_less():
    plan = AnnualPlanFactory()

    with pytest.raises(ValidationError) as error:
        target_save(data=goal_input("100000", q1=Decimal(20000), q2=Decimal(20000)), plan=plan)

    [message] = error.value.message_dict["q1"]
    assert "adds up to 40,000, 60,000 less than the target of 100,000" in message


def test_a_quarterly_split_is_refused_for_a_metric_that_is_not_summed():
    plan = AnnualPlanFactory()

    with pytest.raises(ValidationError) as error:
        target_save(data=goal_input("20", code="market_share", q1=Decimal(5), q2=Decimal(15)), plan=plan)

    assert "only adds up for metrics that are summed" in error.value.message_dict["q1"][0]


# targets: sub-goals -------------------------------------------------------------------------


def test_sub_goals_that_add_up_to_the_goal_are_saved(goal):
    online = target_save(data=goal_input("30000", channel=channel("online")), parent=goal)
    offline = target_save(data=goal_input("20000", channel=channel("offline")), parent=goal)

    assert list(goal.children.order_by("pk")) == [online, offline]
    assert online.campaign == goal.campaign
    assert online.plan is None


def test_a_sub_goal_that_would_exceed_the_goal_is_refused_with_the_amount(goal):
    target_save(data=goal_input("30000", channel=channel("online")), parent=goal)
    target_save(data=goal_input("20000", channel=channel("offline")), parent=goal)

    with pytest.raises(ValidationError) as error:
        target_save(data=goal_input("5000", channel=channel("ecommerce")), parent=goal)

    [message] = error.value.message_dict["target_value"]
    assert "add up to 55,000, 5,000 more than the parent goal of 50,000" in message
    assert goal.children.count() == 2


def test_raising_a_sub_goal_above_what_its_siblings_leave_is_refused(goal):
    online = target_save(data=goal_input("30000"), parent=goal)
    target_save(data=goal_input("20000"), parent=goal)

    with pytest.raises(ValidationError):
        target_save(data=goal_input("30001"), target=online)

    online.refresh_from_db()
    assert online.target_value == Decimal("30000")


def test_changing_a_sub_goal_within_its_share_is_saved(goal):
    online = target_save(data=goal_input("30000"), parent=goal)
    target_save(data=goal_input("20000"), parent=goal)

    target_save(data=goal_input("25000"), target=online)

    online.refresh_from_db()
    assert online.target_value == Decimal("25000")


def test_a_sub_goal_on_another_metric_is_refused(goal):
    with pytest.raises(ValidationError) as error:
        target_save(data=goal_input("1000", code="sales_revenue"), parent=goal)

    assert "same metric" in error.value.message_dict["metric"][0]


def test_a_sub_goal_of_a_sub_goal_is_refused(goal):
    online = target_save(data=goal_input("30000"), parent=goal)

    with pytest.raises(ValidationError) as error:
        target_save(data=goal_input("10000"), parent=online)

    assert "one level deep" in error.value.message_dict["parent"][0]


def test_sub_goals_of_a_metric_that_is_not_summed_may_each_reach_the_goal(campaign):
    share = target_save(data=goal_input("20", code="market_share"), campaign=campaign)

    target_save(data=goal_input("20", code="market_share", channel=channel("online")), parent=share)
    target_save(data=goal_input("20", code="market_share", channel=channel("offline")), parent=share)

    assert share.children.count() == 2


def test_lowering_a_goal_below_its_sub_goals_is_refused(goal):
    target_save(data=goal_input("30000"), parent=goal)
    target_save(data=goal_input("20000"), parent=goal)

    with pytest.raises(ValidationError) as error:
        target_save(data=goal_input("45000"), target=goal)

    assert "add up to 50,000, more than 45,000" in error.value.message_dict["target_value"][0]
    goal.refresh_from_db()
    assert goal.target_value == Decimal("50000")


def test_changing_the_metric_of_a_goal_with_sub_goals_is_refused(goal):
    target_save(data=goal_input("30000"), parent=goal)

    with pytest.raises(ValidationError) as error:
        target_save(data=goal_input("50000", code="new_customers"), target=goal)

    assert "metric" in error.value.message_dict


# metric values ------------------------------------------------------------------------------


@pytest.fixture
def yesterday():
    return timezone.localdate() - timedelta(days=1)


@pytest.fixture
def live_campaign(yesterday):
    return CampaignFactory(start_date=yesterday - timedelta(days=30), end_date=yesterday + timedelta(days=30))


def row(campaign, *, on, value="100", code="units_sold", via=None, plan=None) -> ValueRow:
    return ValueRow(
        metric=metric(code),
        date=on,
        value=Decimal(value),
        plan=plan or campaign.plan,
        campaign=campaign,
        channel=channel(via) if via else None,
    )


def test_recording_values_creates_them(live_campaign, yesterday, manager):
    summary = metric_values_record(
        rows=[
            row(live_campaign, on=yesterday, via="online", value="300"),
            row(live_campaign, on=yesterday, via="offline", value="200"),
        ],
        source=ValueSource.IMPORT,
        recorded_by=manager,
    )

    assert (summary.created, summary.updated) == (2, 0)
    stored = MetricValue.objects.get(channel=channel("online"))
    assert (stored.value, stored.source, stored.recorded_by) == (Decimal("300"), ValueSource.IMPORT, manager)


def test_recording_a_value_again_updates_it_and_never_duplicates(live_campaign, yesterday):
    metric_values_record(rows=[row(live_campaign, on=yesterday, value="100")])

    summary = metric_values_record(rows=[row(live_campaign, on=yesterday, value="180")])

    assert (summary.created, summary.updated) == (0, 1)
    assert MetricValue.objects.count() == 1
    assert MetricValue.objects.get().value == Decimal("180")


def test_recording_a_plan_level_value_again_updates_it(live_campaign, yesterday):
    plan = live_campaign.plan
    plan_row = ValueRow(metric=metric("market_share"), date=yesterday, value=Decimal("12"), plan=plan)
    metric_values_record(rows=[plan_row])

    plan_row.value = Decimal("13")
    summary = metric_values_record(rows=[plan_row])

    assert (summary.created, summary.updated) == (0, 1)
    assert MetricValue.objects.get().value == Decimal("13")


def test_a_batch_with_a_bad_row_saves_nothing_and_names_the_row(live_campaign, yesterday):
    with pytest.raises(ValidationError) as error:
        metric_values_record(
            rows=[
                row(live_campaign, on=yesterday, value="100"),
                row(live_campaign, on=yesterday - timedelta(days=1), value="-5"),
                row(live_campaign, on=yesterday - timedelta(days=2), value="100"),
            ]
        )

    assert error.value.messages == ["Row 2, value: Units sold cannot be negative."]
    assert not MetricValue.objects.exists()


def test_a_batch_lists_the_problems_of_every_bad_row(live_campaign, yesterday):
    with pytest.raises(ValidationError) as error:
        metric_values_record(
            rows=[
                row(live_campaign, on=yesterday, code="market_share", value="101"),
                row(live_campaign, on=yesterday),
                row(live_campaign, on=yesterday, value="1.5"),
            ]
        )

    assert [message.split(":")[0] for message in error.value.messages] == ["Row 1, value", "Row 3, value"]


def test_a_key_given_twice_in_one_batch_keeps_the_last_value(live_campaign, yesterday):
    summary = metric_values_record(
        rows=[row(live_campaign, on=yesterday, value="100"), row(live_campaign, on=yesterday, value="120")]
    )

    assert (summary.created, summary.updated) == (1, 0)
    assert MetricValue.objects.get().value == Decimal("120")


def test_a_campaign_of_another_plan_is_refused(live_campaign, yesterday):
    other_plan = AnnualPlanFactory()

    with pytest.raises(ValidationError) as error:
        metric_values_record(rows=[row(live_campaign, on=yesterday, plan=other_plan)])

    assert error.value.messages == ["Row 1, campaign: The campaign belongs to another plan."]
    assert not MetricValue.objects.exists()


def test_a_value_dated_in_the_future_is_refused(live_campaign):
    tomorrow = timezone.localdate() + timedelta(days=1)

    with pytest.raises(ValidationError) as error:
        metric_values_record(rows=[row(live_campaign, on=tomorrow)])

    assert f"Row 1, date: {tomorrow.isoformat()} is in the future" in error.value.messages[0]
    assert not MetricValue.objects.exists()


def test_a_value_dated_today_is_accepted(live_campaign):
    summary = metric_values_record(rows=[row(live_campaign, on=timezone.localdate())])

    assert summary.created == 1


def test_a_value_recorded_again_keeps_its_row_but_takes_the_new_recorder(live_campaign, yesterday, make_user):
    first, second = make_user(Role.STAFF), make_user(Role.MARKETING_MANAGER)
    metric_values_record(rows=[row(live_campaign, on=yesterday)], recorded_by=first)
    original = MetricValue.objects.get()

    metric_values_record(rows=[row(live_campaign, on=yesterday)], source=ValueSource.API, recorded_by=second)

    updated = MetricValue.objects.get()
    assert updated.pk == original.pk
    assert (updated.recorded_by, updated.source) == (second, ValueSource.API)


def test_recorded_values_feed_the_target_actual(live_campaign, yesterday):
    from plans.selectors import target_list

    target = TargetFactory(
        campaign=live_campaign, period_start=live_campaign.start_date, period_end=live_campaign.end_date
    )
    metric_values_record(
        rows=[row(live_campaign, on=yesterday, value="70"), row(live_campaign, on=yesterday, via="online", value="30")]
    )

    assert target_list().get(pk=target.pk).actual == Decimal("100")


def test_a_goal_with_sub_goals_cannot_become_a_sub_goal_itself(goal, campaign):
    target_save(data=goal_input("30000"), parent=goal)
    other = target_save(data=goal_input("90000"), campaign=campaign)

    with pytest.raises(ValidationError) as error:
        target_save(data=goal_input("50000"), target=goal, parent=other)

    assert "parent" in error.value.message_dict
    goal.refresh_from_db()
    assert goal.parent is None


def test_a_goal_cannot_be_its_own_sub_goal(goal):
    with pytest.raises(ValidationError) as error:
        target_save(data=goal_input("50000"), target=goal, parent=goal)

    assert error.value.message_dict == {"parent": ["A goal cannot be its own sub-goal."]}
    goal.refresh_from_db()
    assert goal.parent is None
