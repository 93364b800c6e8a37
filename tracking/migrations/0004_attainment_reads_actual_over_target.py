"""Attainment reads actual ÷ target for every metric (the templates' reading), so the
percentage of an attainment threshold on a lower-is-better metric is now the ceiling its
attainment must not rise above. It used to be a floor for target ÷ actual: “below 80%” then
meant “over 125% of the target”. Each such threshold's percentage becomes 10000 ÷ itself, so
that it still breaches at the same actual (80 → 125, 50 → 200), capped at the 1000% the form
allows (a floor under 10%, 0 included, never breached in practice; 1000% hardly does).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import migrations, models

CAP = Decimal(1000)


def _thresholds_on_lower_is_better_targets(apps):
    Threshold = apps.get_model("tracking", "Threshold")
    return Threshold.objects.filter(
        kind="attainment_below", target__metric__direction="lower", percent__isnull=False
    )


def _inverted(percent: Decimal) -> Decimal:
    if percent <= Decimal(10000) / CAP:
        return CAP
    return (Decimal(10000) / percent).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def to_actual_over_target(apps, schema_editor):
    for threshold in _thresholds_on_lower_is_better_targets(apps):
        threshold.percent = _inverted(threshold.percent)
        threshold.save(update_fields=["percent"])


def to_target_over_actual(apps, schema_editor):
    for threshold in _thresholds_on_lower_is_better_targets(apps):
        threshold.percent = _inverted(threshold.percent)
        threshold.save(update_fields=["percent"])


class Migration(migrations.Migration):

    dependencies = [
        ('tracking', '0003_move_notifications_out'),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicalthreshold',
            name='kind',
            field=models.CharField(choices=[('attainment_below', 'attainment below a share of the target (above, when lower is better)'), ('value_below', 'value below a bound over a window'), ('value_above', 'value above a bound over a window'), ('benchmark_below', 'value below a benchmark by a share'), ('cost_above_budget', 'cost above budget by a share'), ('tasks_overdue', 'tasks overdue'), ('milestone_missed', 'milestone missed')], max_length=20, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='historicalthreshold',
            name='percent',
            field=models.DecimalField(blank=True, decimal_places=2, help_text='Attainment (actual ÷ target): alert below this %, or above it for a metric where lower is better (a cost, a response time); or this % below the benchmark; or this % over budget.', max_digits=7, null=True, verbose_name='percentage'),
        ),
        migrations.AlterField(
            model_name='threshold',
            name='kind',
            field=models.CharField(choices=[('attainment_below', 'attainment below a share of the target (above, when lower is better)'), ('value_below', 'value below a bound over a window'), ('value_above', 'value above a bound over a window'), ('benchmark_below', 'value below a benchmark by a share'), ('cost_above_budget', 'cost above budget by a share'), ('tasks_overdue', 'tasks overdue'), ('milestone_missed', 'milestone missed')], max_length=20, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='threshold',
            name='percent',
            field=models.DecimalField(blank=True, decimal_places=2, help_text='Attainment (actual ÷ target): alert below this %, or above it for a metric where lower is better (a cost, a response time); or this % below the benchmark; or this % over budget.', max_digits=7, null=True, verbose_name='percentage'),
        ),
        migrations.RunPython(to_actual_over_target, to_target_over_actual),
    ]
