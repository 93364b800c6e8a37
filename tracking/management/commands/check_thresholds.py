from django.core.management.base import BaseCommand

from core.formatting import format_number
from tracking.evaluation import Outcome, evaluate_all


class Command(BaseCommand):
    help = (
        "Check every active threshold once, in the foreground (what the beat job does every "
        "THRESHOLD_CHECK_MINUTES), and print the alerts it opened, kept and resolved."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=None, help="thresholds per batch (THRESHOLD_BATCH_SIZE)")

    def handle(self, *args, batch_size=None, **options):
        report = evaluate_all(batch_size=batch_size)
        for label, outcomes in (
            ("opened", report.opened),
            ("kept", report.kept),
            ("resolved", report.resolved),
        ):
            for outcome in outcomes:
                self.stdout.write(self._line(label, outcome, figures=True))
        for outcome in report.not_evaluable:
            self.stdout.write(self._line("not evaluable", outcome, figures=False))
        for outcome in report.errors:
            self.stderr.write(self._line("error", outcome, figures=False))
        counts = report.counts()
        summary = (
            f"Checked {counts['checked']} thresholds: {counts['opened']} opened, {counts['kept']} kept, "
            f"{counts['resolved']} resolved, {counts['within']} within bounds, "
            f"{counts['not_evaluable']} not evaluable, {counts['errors']} errors."
        )
        self.stdout.write(self.style.ERROR(summary) if report.errors else self.style.SUCCESS(summary))

    @staticmethod
    def _line(label: str, outcome: Outcome, *, figures: bool) -> str:
        line = f"{label:<13} #{outcome.threshold_id} [{outcome.scope}] {outcome.rule}"
        if figures:
            return f"{line}: observed {format_number(outcome.observed)}, expected {format_number(outcome.expected)}"
        return f"{line} — {outcome.message}"
