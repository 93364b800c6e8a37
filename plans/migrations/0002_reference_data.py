"""The metric dictionary and channel tree that the two templates name."""

from django.db import migrations

# code, English, Chinese, unit, aggregation, direction, period, allow_negative, is_cost, definition, source
METRICS = [
    ("sales_revenue", "Sales revenue", "销售额", "cny", "sum", "higher", "daily", False, False,
     "Value of orders paid, after discounts, before returns.", "Order system / e-commerce back office"),
    ("units_sold", "Units sold", "销量", "count", "sum", "higher", "daily", False, False,
     "Number of units in paid orders, not counting returns.", "Order system / e-commerce back office"),
    ("profit", "Profit", "利润", "cny", "sum", "higher", "monthly", True, False,
     "Gross profit of the period: revenue less cost of goods.", "Finance"),
    ("market_share", "Market share", "市场占有率", "percent", "last", "higher", "monthly", False, False,
     "Share of the category's sales in the target market.", "Industry report"),
    ("roi", "ROI", "投资回报率", "ratio", "last", "higher", "monthly", True, False,
     "Marketing net profit / marketing cost (5 means 1:5, or 500%).", "Finance"),
    ("new_customers", "New customers", "新客数", "count", "sum", "higher", "daily", False, False,
     "Customers placing their first order in the period.", "CRM"),
    ("cac", "Customer acquisition cost", "获客成本", "cny", "average", "lower", "monthly", False, False,
     "Marketing cost / new customers.", "Finance and CRM"),
    ("repurchase_rate", "Repurchase rate", "复购率", "percent", "last", "higher", "monthly", False, False,
     "Share of customers who ordered again within the period.", "CRM"),
    ("aov", "Average order value", "客单价", "cny", "average", "higher", "daily", False, False,
     "Sales revenue / number of orders.", "Order system"),
    ("clv", "Customer lifetime value", "客户生命周期价值", "cny", "last", "higher", "monthly", False, False,
     "Expected gross profit of a customer over the relationship.", "CRM"),
    ("new_members", "New members", "新增会员数", "count", "sum", "higher", "daily", False, False,
     "Members who joined in the period.", "Membership system"),
    ("members", "Members", "会员数", "count", "last", "higher", "daily", False, False,
     "Members at the end of the period.", "Membership system"),
    ("exposure", "Media exposure", "媒体曝光量", "count", "sum", "higher", "daily", False, False,
     "Impressions across paid, owned and earned media; invalid traffic excluded.", "Ad platforms and media reports"),
    ("reach", "Target audience reach", "目标客群触达量", "count", "sum", "higher", "daily", False, False,
     "Unique people of the target audience reached.", "Ad platforms"),
    ("engagement_rate", "Engagement rate", "互动率", "percent", "average", "higher", "daily", False, False,
     "Likes, comments and shares / views.", "Social media platforms"),
    ("ctr", "Click-through rate", "点击率", "percent", "average", "higher", "daily", False, False,
     "Clicks / impressions.", "Ad platforms"),
    ("conversion_rate", "Conversion rate", "转化率", "percent", "average", "higher", "daily", False, False,
     "Orders / visitors.", "E-commerce back office"),
    ("content_views", "Content views", "内容阅读量", "count", "sum", "higher", "daily", False, False,
     "Reads or plays of published content.", "Content platforms"),
    ("positive_review_rate", "Positive review rate", "好评率", "percent", "last", "higher", "monthly", False, False,
     "Positive reviews / all reviews.", "E-commerce platforms and surveys"),
    ("negative_response_hours", "Negative-sentiment response time", "负面舆情响应时长", "hours", "average", "lower",
     "daily", False, False, "Hours from a negative post being found to the first response.", "Social listening"),
    ("marketing_cost", "Marketing cost", "营销成本", "cny", "sum", "lower", "daily", False, True,
     "All marketing spend: media, KOL, promotion, materials, events.", "Finance"),
]

# code, English, Chinese, kind, parent code
CHANNELS = [
    ("online", "Online", "线上", "online", None),
    ("ecommerce", "E-commerce platforms", "电商平台", "online", "online"),
    ("social", "Social media", "社交媒体", "online", "online"),
    ("short_video", "Short video and live streaming", "短视频与直播", "online", "online"),
    ("private_domain", "Private domain (community, mini program, WeCom)", "私域", "online", "online"),
    ("search_ads", "Search and feed ads", "搜索与信息流广告", "online", "online"),
    ("offline", "Offline", "线下", "offline", None),
    ("exhibitions", "Exhibitions", "展会", "offline", "offline"),
    ("field_promotion", "Field promotion", "地推", "offline", "offline"),
    ("distributors", "Distributors", "经销商", "offline", "offline"),
    ("stores", "Stores", "门店", "offline", "offline"),
]


def load(apps, schema_editor):
    Metric = apps.get_model("plans", "Metric")
    Channel = apps.get_model("plans", "Channel")
    for code, en, zh, unit, aggregation, direction, period, negative, cost, definition, source in METRICS:
        Metric.objects.update_or_create(
            code=code,
            defaults={
                "name_en": en, "name_zh": zh, "unit": unit, "aggregation": aggregation, "direction": direction,
                "period": period, "allow_negative": negative, "is_cost": cost, "definition": definition,
                "data_source": source,
            },
        )
    for order, (code, en, zh, kind, parent) in enumerate(CHANNELS):
        Channel.objects.update_or_create(
            code=code,
            defaults={
                "name_en": en, "name_zh": zh, "kind": kind, "sort_order": order,
                "parent": Channel.objects.get(code=parent) if parent else None,
            },
        )


def unload(apps, schema_editor):
    apps.get_model("plans", "Metric").objects.filter(code__in=[m[0] for m in METRICS]).delete()
    apps.get_model("plans", "Channel").objects.filter(parent__isnull=False).delete()
    apps.get_model("plans", "Channel").objects.filter(code__in=[c[0] for c in CHANNELS]).delete()


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
