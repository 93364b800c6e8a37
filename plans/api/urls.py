from django.urls import path

from . import facts, ranking, views

# (prefix, viewset, basename) for the project's single API router.
routes = [
    ("channels", views.ChannelViewSet, "channel"),
    ("metrics", views.MetricViewSet, "metric"),
    ("plans", views.PlanViewSet, "plan"),
    ("plan-items", views.PlanItemViewSet, "plan-item"),
    ("quarter-focus", views.QuarterFocusViewSet, "quarter-focus"),
    ("targets", views.TargetViewSet, "target"),
    ("budget-lines", views.BudgetLineViewSet, "budget-line"),
    ("campaigns", views.CampaignViewSet, "campaign"),
    ("metric-values", views.MetricValueViewSet, "metric-value"),
    ("channel-ranking", ranking.ChannelRankingViewSet, "channel-ranking"),
]

urlpatterns = [
    path("facts/targets/", facts.TargetFactsView.as_view(), name="facts-targets"),
]
