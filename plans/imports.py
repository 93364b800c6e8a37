"""Import metric values from a CSV or XLSX file: read, validate every row, then record all
or nothing.

The file has one value a row: date, metric code, channel code (optional) and value, under
English or Chinese headers (date / 日期, metric / metric_code / 指标代码 / 指标,
channel / 渠道, value / 数值). Every problem is reported with the row number the person
sees in their spreadsheet and the column's header as they wrote it; nothing is saved
unless every row is good.

Recording goes through services.campaign_values_writer, chunk by chunk while the next rows
are checked (on PostgreSQL each chunk is copied into a temporary table and upserted in one
statement, by a thread of its own), with no object per row.
"""

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import IO

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from core.dates import date_problem
from core.formatting import format_number
from core.imports import ImportResult, RowError
from core.spreadsheets import FileProblem, blank, date_in_text, header_columns, upload_rows

from .models import Campaign, Channel, Metric, Unit, ValueSource
from .services import campaign_values_writer

# A file larger than this is refused before it is read (200,000 rows take about 10 MB as CSV).
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000
# A workbook may hold twice the cells of MAX_ROWS rows of its four columns: openpyxl reads
# about 100,000 cells a second, so a sheet of wide blank rows is refused before it is read.
MAX_CELLS = 2 * 4 * MAX_ROWS
# Good rows are written this many at a time while the next ones are checked.
CHUNK_ROWS = 10_000

# Header aliases, as core.spreadsheets.header_column compares them (case-insensitive, spaces = underscores).
COLUMN_ALIASES = {
    "date": ["date", "日期"],
    "metric": ["metric", "metric_code", "指标代码", "指标"],
    "channel": ["channel", "channel_code", "渠道", "渠道代码"],
    "value": ["value", "数值"],
}
REQUIRED_COLUMNS = ["date", "metric", "value"]  # no channel column: every value is for the whole campaign
ALIAS_TO_COLUMN = {alias: column for column, aliases in COLUMN_ALIASES.items() for alias in aliases}

THOUSANDS_PATTERN = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
FOUR_PLACES = Decimal("0.0001")
# MetricValue.value is DECIMAL(18, 4): 14 digits before the point.
VALUE_LIMIT = Decimal(10) ** 14


@dataclass
class _Columns:
    """Where each column is in the rows, and its header as the file spells it."""

    index: dict[str, int]
    header: dict[str, str]
    width: int


# Reading ----------------------------------------------------------------------------------


@dataclass
class _Table:
    """A file's rows that are not blank, as (row number as the spreadsheet shows it, cells)."""

    rows: Iterator[tuple[int, Sequence]]
    # In CSV a comma left unquoted (1,200) pushes cells into the next column.
    cells_can_spill: bool


def _read_table(file: IO[bytes]) -> _Table:
    """The rows of a CSV file or of the first sheet of an XLSX workbook that are not blank."""
    rows, is_csv = upload_rows(file, max_bytes=MAX_FILE_BYTES, max_rows=MAX_ROWS, max_cells=MAX_CELLS, cell=_xlsx_cell)
    return _Table(
        ((number, cells) for number, cells in rows if not all(blank(c) for c in cells)), cells_can_spill=is_csv
    )


def _xlsx_cell(cell):
    value = cell.value
    if isinstance(value, float | int) and not isinstance(value, bool) and "%" in (cell.number_format or ""):
        # A cell showing 12.5% holds 0.125: pass on what the person sees.
        return f"{Decimal(repr(value)) * 100}%"
    return value


# Headers ----------------------------------------------------------------------------------


def _columns(cells: tuple) -> _Columns:
    index, header = header_columns(
        cells, ALIAS_TO_COLUMN, labels={column: _column_label(column) for column in COLUMN_ALIASES}
    )
    missing = [column for column in REQUIRED_COLUMNS if column not in index]
    if missing:
        labels = [_column_label(column) for column in missing]
        names = (
            labels[0]
            if len(labels) == 1
            else _("%(list)s and %(last)s") % {"list": ", ".join(labels[:-1]), "last": labels[-1]}
        )
        found = ", ".join(f"“{str(cell).strip()}”" for cell in cells if not blank(cell))
        raise FileProblem(
            ngettext("The file has no %(missing)s column.", "The file has no %(missing)s columns.", len(missing))
            % {"missing": names}
            + " "
            + _(
                "The first row must name the columns: date, metric, channel, value "
                "(or 日期, 指标代码, 渠道, 数值); it has %(found)s."
            )
            % {"found": found or _("nothing")}
        )
    return _Columns(index=index, header=header, width=max(index.values()) + 1)


def _column_label(column: str) -> str:
    return {"date": _("date"), "metric": _("metric"), "channel": _("channel"), "value": _("value")}[column]


# Cells ------------------------------------------------------------------------------------


def _parse_date(cell) -> date | None:
    if isinstance(cell, datetime):
        return cell.date() if cell.time() == datetime.min.time() else None
    if isinstance(cell, date):
        return cell
    return date_in_text(cell) if isinstance(cell, str) else None


def _parse_value(cell, metric: Metric | None) -> Decimal | None:
    """The number in a cell, or None when it is not one. "12.5%" is 12.5 for a metric
    measured in percent and 0.125 for any other."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int):
        return Decimal(cell)
    if isinstance(cell, float):
        return Decimal(repr(cell))
    if isinstance(cell, Decimal):
        return cell
    text = str(cell).strip().lstrip("¥￥").strip()
    percent = text.endswith("%")
    if percent:
        text = text[:-1].strip()
    if "," in text and THOUSANDS_PATTERN.fullmatch(text):
        text = text.replace(",", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    if percent and metric is not None and metric.unit != Unit.PERCENT:
        value /= 100
    return value


def _text(cell) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


class _Dictionary:
    """Metrics and channels by code (and by English or Chinese name), loaded once."""

    def __init__(self):
        self.metrics = self._index(Metric.objects.all())
        self.channels = self._index(Channel.objects.all())

    @staticmethod
    def _index(objects: Iterable) -> dict:
        objects = list(objects)
        by_key, names = {}, {}
        for obj in objects:
            for name in {obj.name_en.casefold(), obj.name_zh.casefold()} - {""}:
                names.setdefault(name, []).append(obj)
        # A name that two entries share is ambiguous: only the code finds them.
        by_key.update({name: found[0] for name, found in names.items() if len(found) == 1})
        for obj in objects:
            by_key[obj.code.casefold()] = obj
        return by_key


# Validation -------------------------------------------------------------------------------


# A good row: (row number, metric, channel or None, date, value), a plain tuple (100,000 of
# them are made for a large file).
_GoodRow = tuple[int, Metric, Channel | None, date, Decimal]


class _Checker:
    """Turns cells into metric, channel, date and value, or into what is wrong with them.

    Dates, metric codes and channel codes repeat across a file, so each distinct cell is
    resolved once (a 100,000-row file has a few dozen of them)."""

    def __init__(self, *, dictionary: _Dictionary, today: date):
        self.dictionary, self.today = dictionary, today
        self.dates: dict = {}
        self.metrics: dict = {}
        self.channels: dict = {}

    def day(self, cell) -> tuple[date | None, str | None]:
        if blank(cell):
            return None, _("The date is missing.")
        day = _parse_date(cell)
        if day is None:
            return None, _("“%(value)s” is not a date: write it as YYYY-MM-DD, e.g. %(example)s.") % {
                "value": _text(cell),
                "example": self.today.isoformat(),
            }
        outside = date_problem(day)
        if outside:
            return None, outside
        if day > self.today:
            return None, _("%(date)s is in the future: record values once they are measured.") % {
                "date": day.isoformat()
            }
        return day, None

    def metric(self, cell) -> tuple[Metric | None, str | None]:
        if blank(cell):
            return None, _("The metric code is missing.")
        metric = self.dictionary.metrics.get(_text(cell).casefold())
        if metric is None:
            return None, _("“%(code)s” is not a metric code of the metric dictionary.") % {"code": _text(cell)}
        if not metric.is_active:
            return None, _("The metric “%(code)s” is no longer in use.") % {"code": metric.code}
        return metric, None

    def channel(self, cell) -> tuple[Channel | None, str | None]:
        if blank(cell):
            return None, None
        channel = self.dictionary.channels.get(_text(cell).casefold())
        if channel is None:
            return None, _("“%(code)s” is not a channel code; leave the cell empty for no channel.") % {
                "code": _text(cell)
            }
        return channel, None

    @staticmethod
    def value(cell, metric: Metric | None) -> tuple[Decimal | None, str | None]:
        if cell.__class__ is str:
            try:  # the common case, a plain number; Decimal allows spaces around it
                value = Decimal(cell)
            except InvalidOperation:
                value = None
        else:
            value = None
        if value is None or not value.is_finite():
            if blank(cell):
                return None, _("The value is missing.")
            value = _parse_value(cell, metric)
            if value is None:
                return None, _("“%(value)s” is not a number.") % {"value": _text(cell)}
        # Rounded first: 99999999999999.99995 rounds to 10**14, which the column cannot hold
        # (and a number past 10**14 is not rounded: it may have more digits than Decimal keeps).
        if (
            abs(value) >= VALUE_LIMIT
            or abs(rounded := value.quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)) >= VALUE_LIMIT
        ):
            return None, _("%(value)s is too large.") % {"value": _text(cell)}
        if metric is None:
            return None, None
        problem = metric.recorded_value_problem(value)
        if problem:
            return None, str(problem)
        return rounded, None


def _validate(
    table: _Table,
    *,
    dictionary: _Dictionary,
    today: date,
    on_rows: Callable[[list[_GoodRow]], None] | None = None,
) -> tuple[list[_GoodRow], list[RowError]]:
    """Check every row (the readers leave out blank ones); return the good rows and every
    problem of the bad ones. With `on_rows`, the good rows are handed to it CHUNK_ROWS at a
    time as long as no row is bad, and only those not handed on are returned."""
    rows = table.rows
    first = next(rows, None)
    if first is None:
        raise FileProblem(_("The file is empty."))
    columns = _columns(first[1])
    date_at, metric_at, value_at = (columns.index[name] for name in ("date", "metric", "value"))
    channel_at = columns.index.get("channel")
    width, header = columns.width, columns.header
    # Cells past the header's are ignored in a workbook (a note), a sign of a spill in CSV.
    header_width = len(first[1]) if table.cells_can_spill else None
    check = _Checker(dictionary=dictionary, today=today)
    dates, metrics, channels = check.dates, check.metrics, check.channels
    good, errors = [], []
    count = 0
    for number, cells in rows:
        count += 1
        if count > MAX_ROWS:
            raise FileProblem(
                _("The file has more than %(max)s rows of values: split it into smaller files.")
                % {"max": format_number(MAX_ROWS)}
            )
        if len(cells) < width:
            cells = (*cells, *([None] * (width - len(cells))))
        problems = len(errors)
        if header_width and len(cells) > header_width and not all(blank(cell) for cell in cells[header_width:]):
            errors.append(
                RowError(
                    number,
                    "",
                    _(
                        "The row has more cells than the first row has columns: "
                        "put a number or text that contains a comma in quotes."
                    ),
                )
            )

        cell = cells[date_at]
        found = dates.get(cell)
        if found is None:
            found = dates[cell] = check.day(cell)
        day, problem = found
        if problem:
            errors.append(RowError(number, header["date"], problem))

        cell = cells[metric_at]
        found = metrics.get(cell)
        if found is None:
            found = metrics[cell] = check.metric(cell)
        metric, problem = found
        if problem:
            errors.append(RowError(number, header["metric"], problem))

        channel = None
        if channel_at is not None:
            cell = cells[channel_at]
            found = channels.get(cell)
            if found is None:
                found = channels[cell] = check.channel(cell)
            channel, problem = found
            if problem:
                errors.append(RowError(number, header["channel"], problem))

        value, problem = check.value(cells[value_at], metric)
        if problem:
            errors.append(RowError(number, header["value"], problem))

        if len(errors) == problems:
            good.append((number, metric, channel, day, value))
            if on_rows is not None and len(good) == CHUNK_ROWS and not errors:
                on_rows(good)
                good = []
    if count == 0:
        raise FileProblem(_("The file has column headers but no rows of values."))
    return good, errors


# Recording --------------------------------------------------------------------------------


def _record(*, table: _Table, dictionary: _Dictionary, campaign: Campaign, user: User | None) -> tuple:
    """Check every row and record the good ones as they come, all in one transaction, rolled
    back when a row is bad: (good rows, errors, created, updated)."""
    campaign_id, plan_id = campaign.pk, campaign.plan_id
    handed = 0

    def keyed(rows: list[_GoodRow]) -> dict:
        # By key (plans.models.metric_value_key), the last of a key given twice winning, as
        # in a spreadsheet; ids only, no object per row.
        return {
            (campaign_id, metric.pk, day, channel.pk if channel is not None else None, plan_id): value
            for _number, metric, channel, day, value in rows
        }

    def write(rows: list[_GoodRow]) -> None:
        nonlocal handed
        handed += len(rows)
        writer.write(keyed(rows))

    try:
        with campaign_values_writer(campaign=campaign, source=ValueSource.IMPORT, recorded_by=user) as writer:
            good, errors = _validate(table, dictionary=dictionary, today=timezone.localdate(), on_rows=write)
            if errors:
                raise _Discarded(handed + len(good), errors)
            writer.write(keyed(good))
    except _Discarded as discarded:
        return discarded.good, discarded.errors, 0, 0
    return handed + len(good), [], writer.summary.created, writer.summary.updated


class _Discarded(Exception):
    """A bad row: what was written is rolled back."""

    def __init__(self, good: int, errors: list[RowError]):
        super().__init__()
        self.good, self.errors = good, errors


# The import -------------------------------------------------------------------------------


def import_metric_values(*, file: IO[bytes], campaign: Campaign, user: User | None) -> ImportResult:
    """Read a CSV or XLSX file of metric values for a campaign, validate every row, and
    record them all (a value already recorded for the same key is updated) or none. The good
    rows are written while the next ones are checked (plans.services.campaign_values_writer)
    and rolled back at the first bad one, whose problems, and every other row's, are listed."""
    try:
        table = _read_table(file)
        good, errors, created, updated = _record(table=table, dictionary=_Dictionary(), campaign=campaign, user=user)
    except FileProblem as problem:
        return ImportResult(errors=[RowError(None, problem.column, problem.message)])
    except ValidationError as exc:  # the service's own checks; the rows passed ours already
        return ImportResult(errors=[RowError(None, "", message) for message in exc.messages])
    result = ImportResult(rows=good + len({error.row for error in errors}), errors=errors)
    result.created, result.updated = created, updated
    return result
