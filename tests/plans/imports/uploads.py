"""The files the import tests upload: metric values of the last days, as CSV text or as an
XLSX workbook, and how they read what an import recorded."""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from plans.imports import import_metric_values
from plans.models import MetricValue

# The files' values are dated in the last days, so that none is in the future.
TODAY = timezone.localdate()
DAY = TODAY - timedelta(days=3)
NEXT_DAY = DAY + timedelta(days=1)


def csv_upload(text: str, *, name: str = "values.csv", encoding: str = "utf-8") -> SimpleUploadedFile:
    """A CSV file of that text, as a browser uploads it."""
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def xlsx_upload(rows: list[list], *, name: str = "values.xlsx", percent_cells: tuple = ()) -> SimpleUploadedFile:
    """A workbook of those rows; the cells named in percent_cells show as percentages."""
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for coordinate in percent_cells:
        sheet[coordinate].number_format = "0.0%"
    output = io.BytesIO()
    workbook.save(output)
    return SimpleUploadedFile(name, output.getvalue())


VALID_CSV = f"""date,metric,channel,value
{DAY},units_sold,ecommerce,1200
{DAY},units_sold,stores,350
{DAY},marketing_cost,,8000.50
{NEXT_DAY},ctr,ecommerce,3.2
"""


def run_import(upload, campaign, user):
    """Import the file into the campaign as that person."""
    return import_metric_values(file=upload, campaign=campaign, user=user)


def values_of(campaign) -> dict:
    """The campaign's values by (metric code, channel code or None, date)."""
    return {
        (value.metric.code, value.channel.code if value.channel else None, value.date): value.value
        for value in MetricValue.objects.filter(campaign=campaign).select_related("metric", "channel")
    }
