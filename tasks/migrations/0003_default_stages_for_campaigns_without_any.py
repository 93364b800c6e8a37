"""Campaigns get the template's four stages when they are created; until then the task pages
created them on their first visit. Give every campaign that has none yet its four stages, so
that the pages only read."""

from django.db import migrations
from django.utils import timezone

# tasks.models.DEFAULT_STAGES as it is when this migration is written.
DEFAULT_STAGES = [
    ("产品筹备", "Product preparation"),
    ("预热宣传", "Warm-up"),
    ("正式推广", "Launch and promotion"),
    ("售后复盘", "After-sales review"),
]
BATCH = 500


def create_default_stages(apps, schema_editor):
    Campaign = apps.get_model("plans", "Campaign")
    Stage = apps.get_model("tasks", "Stage")
    HistoricalStage = apps.get_model("tasks", "HistoricalStage")
    campaign_ids = list(Campaign.objects.filter(stages__isnull=True).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(campaign_ids), BATCH):
        batch = campaign_ids[start : start + BATCH]
        Stage.objects.bulk_create(
            Stage(campaign_id=campaign_id, name_zh=zh, name_en=en, position=position)
            for campaign_id in batch
            for position, (zh, en) in enumerate(DEFAULT_STAGES)
        )
        # Their history starts here, as it would for stages created by the service.
        now = timezone.now()
        HistoricalStage.objects.bulk_create(
            HistoricalStage(
                id=stage.pk,
                campaign_id=stage.campaign_id,
                name_zh=stage.name_zh,
                name_en=stage.name_en,
                position=stage.position,
                updated_at=stage.updated_at,
                history_date=now,
                history_type="+",
            )
            for stage in Stage.objects.filter(campaign_id__in=batch)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0002_assignment_role_is_c_or_i"),
    ]

    operations = [
        # Going back leaves the stages: they are the campaigns' own from now on.
        migrations.RunPython(create_default_stages, migrations.RunPython.noop),
    ]
