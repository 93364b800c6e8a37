"""Conversion rate becomes a derived metric, as its definition always said: orders / visitors
(×100, a percentage), computed from its two components wherever it is shown (goals,
thresholds, the channel ranking, the review) and refused as a typed value, like ROI, CAC and
cost per sale (0008). The two components join the dictionary as summed counts.

Conversion rates typed before stay in the table (the admin shows them) but count nowhere:
record the orders and visitors of those days to have them back."""

from django.db import migrations

# code, English, Chinese, definition (en, zh), source (en, zh)
COMPONENTS = [
    (
        "orders",
        "Orders",
        "订单数",
        "Paid orders in the period, returns not deducted.",
        "本期已付款的订单数，不扣除退货。",
        "Order system / e-commerce back office",
        "订单系统 / 电商后台",
    ),
    (
        "visitors",
        "Visitors",
        "访客数",
        "Unique visitors of the store or landing pages in the period (UV).",
        "本期店铺或落地页的独立访客数（UV）。",
        "E-commerce back office / web analytics",
        "电商后台 / 网站分析",
    ),
]


def derive(apps, schema_editor):
    Metric = apps.get_model("plans", "Metric")
    components = {}
    for code, en, zh, definition_en, definition_zh, source_en, source_zh in COMPONENTS:
        components[code], _ = Metric.objects.update_or_create(
            code=code,
            defaults={
                "name_en": en,
                "name_zh": zh,
                "unit": "count",
                "aggregation": "sum",
                "direction": "higher",
                "period": "daily",
                "allow_negative": False,
                "is_cost": False,
                "definition_en": definition_en,
                "definition_zh": definition_zh,
                "data_source_en": source_en,
                "data_source_zh": source_zh,
            },
        )
    metric = Metric.objects.filter(code="conversion_rate", unit="percent").first()
    if metric is None:
        return  # a dictionary someone has changed: left for the administrator
    metric.aggregation, metric.numerator, metric.denominator = "ratio", components["orders"], components["visitors"]
    metric.definition_en, metric.definition_zh = "Orders / visitors × 100%.", "订单数 / 访客数 × 100%。"
    metric.save(update_fields=["aggregation", "numerator", "denominator", "definition_en", "definition_zh"])


def underive(apps, schema_editor):
    Metric = apps.get_model("plans", "Metric")
    Metric.objects.filter(code="conversion_rate", aggregation="ratio").update(
        aggregation="average", numerator=None, denominator=None
    )


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0010_sync_updated_at"),
    ]

    operations = [migrations.RunPython(derive, underive)]
