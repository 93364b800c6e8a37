"""Streamed bulk exports: ``/api/v1/export/<entity>/`` as CSV, NDJSON or XLSX.

An export is the list endpoint of its entity without the pages: the same viewset decides who
may read and which rows they see (its ``get_queryset`` and permission classes), the same
filter set reads the query string (a bad filter is a 400 naming it, before anything is sent),
and the same serializer writes each row, so an export and the list never disagree.

Memory stays constant whatever the table's size: rows are read in chunks of
settings.API_EXPORT_CHUNK_ROWS by keyset (``id > last id``, in id order, one short query per
chunk, no transaction or cursor held while the client reads), serialized and sent before the
next chunk is read. An entity may give a faster path of its own for CSV on PostgreSQL
(``copy_sql``: metric values are written by ``COPY … TO STDOUT`` chunk by chunk, in exactly the
cells the serializer writes). XLSX is built whole (openpyxl's write-only mode, into a
temporary file), so it is refused beyond settings.API_EXPORT_XLSX_MAX_ROWS rows with a 400
that points to CSV. ``Accept-Encoding: gzip`` compresses CSV and NDJSON as they stream.
"""

import csv
import io
import json
import queue
import re
import tempfile
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator

from django.conf import settings
from django.db import connection
from django.http import FileResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from rest_framework import renderers
from rest_framework.exceptions import ValidationError
from rest_framework.utils.encoders import JSONEncoder
from rest_framework.views import APIView

from core.formatting import format_number
from core.formulas import csv_text, looks_like_formula

from .renderers import flatten
from .schema import AutoSchema

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "ndjson": "application/x-ndjson; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
BOM = "\ufeff"
# Accept-Encoding names gzip, unless with a quality of zero ("gzip;q=0").
GZIP = re.compile(r"(?:^|,)\s*gzip\s*(?:;\s*q\s*=\s*(?!0(?:\.0*)?\s*(?:,|$))[\d.]+\s*)?(?:,|$)", re.IGNORECASE)


class CSVLines:
    """A file-like buffer for csv.writer: each written row is taken out as text at once."""

    def __init__(self):
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    def take(self) -> str:
        text = "".join(self.parts)
        self.parts.clear()
        return text


def wants_gzip(request) -> bool:
    return bool(GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def gzipped(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The chunks compressed as one gzip stream, each sent as soon as it compresses."""
    # Level 1: most of what gzip saves on CSV, for a fraction of the CPU of the default 6.
    compressor = zlib.compressobj(1, zlib.DEFLATED, 31)
    for chunk in chunks:
        data = compressor.compress(chunk)
        if data:
            yield data
    yield compressor.flush()


def keyset_chunks(queryset, size: int) -> Iterator[list]:
    """The queryset's rows in id order, ``size`` at a time, one query (and the viewset's
    prefetches) per chunk, no cursor or transaction held between chunks."""
    queryset = queryset.order_by("pk")
    last = None
    while True:
        page = queryset if last is None else queryset.filter(pk__gt=last)
        rows = list(page[:size])
        if not rows:
            return
        yield rows
        if len(rows) < size:
            return
        last = rows[-1].pk


class ListFiltersSchema(AutoSchema):
    """The OpenAPI description of a view that reads a list's filters without being the list
    (an export, the facts): the filter set's parameters."""

    def get_filter_backends(self):
        return [DjangoFilterBackend] if getattr(self.view, "filterset_class", None) else []

    def _error_codes(self) -> list[str]:
        # A filter given a value it cannot read is a 400, as on the list.
        return ["400", *(code for code in super()._error_codes() if code != "400")]


class ExportView(APIView):
    """The export of one entity (``viewset_class``, set per route by ``export_views``)."""

    schema = ListFiltersSchema()

    viewset_class = None
    entity = ""
    # An entity's CSV on PostgreSQL by COPY: (filtered queryset, rows per chunk) -> CSV chunks.
    copy_sql: Callable | None = None

    def perform_content_negotiation(self, request, force=False):
        # ?format= names the file's format, not a DRF renderer: errors are always JSON.
        return renderers.JSONRenderer(), renderers.JSONRenderer.media_type

    def get(self, request, *args, **kwargs):
        fmt = request.query_params.get("format", "csv")
        if fmt not in FORMATS:
            raise ValidationError({"format": [_("Choose csv, ndjson or xlsx.")]})
        lister = self._lister(request)
        queryset = lister.filter_queryset(lister.get_queryset()).order_by("pk")
        size = max(1, settings.API_EXPORT_CHUNK_ROWS)
        if fmt == "xlsx":
            return self._xlsx(lister, queryset, size)
        if fmt == "csv" and self.copy_sql is not None and connection.vendor == "postgresql":
            body = self.copy_sql(queryset, size)
        else:
            chunks = keyset_chunks(queryset, size)
            # The first chunk is read now, so that a failing query is an error answer, not a
            # file cut short after its headers were sent.
            first = next(chunks, [])
            rows = self._serialized(lister, first, chunks)
            body = self._csv(rows) if fmt == "csv" else self._ndjson(rows)
        return self._streaming(request, body, fmt)

    def _lister(self, request):
        """The entity's list viewset, set up for this request as DRF's router would."""
        lister = self.viewset_class(action_map={"get": "list"})
        lister.action_map = {"get": "list"}
        lister.action = "list"
        lister.request = request
        lister.args, lister.kwargs = (), {}
        lister.format_kwarg = None
        lister.headers = {}
        lister.check_permissions(request)
        return lister

    @staticmethod
    def _serialized(lister, first: list, rest: Iterator[list]) -> Iterator[dict]:
        if not first:
            return
        for chunk in _chain_first(first, rest):
            yield from lister.get_serializer(chunk, many=True).data

    def _csv(self, rows: Iterator[dict]) -> Iterator[bytes]:
        buffer = CSVLines()
        writer = None
        for count, row in enumerate(rows, start=1):
            flat = flatten(row)
            if writer is None:
                writer = csv.DictWriter(buffer, fieldnames=list(flat), extrasaction="ignore", lineterminator="\n")
                buffer.write(BOM)
                writer.writeheader()
            writer.writerow({column: csv_text(value) for column, value in flat.items()})
            if count % 1000 == 0:
                yield buffer.take().encode()
        if writer is None:
            # No rows: the file still starts with its mark and its (serializer's) header.
            buffer.write(BOM)
            csv.writer(buffer, lineterminator="\n").writerow(self._empty_header())
        yield buffer.take().encode()

    def _empty_header(self) -> list[str]:
        serializer = self.viewset_class.serializer_class()
        return list(serializer.fields)

    @staticmethod
    def _ndjson(rows: Iterator[dict]) -> Iterator[bytes]:
        lines = []
        for row in rows:
            lines.append(json.dumps(row, cls=JSONEncoder, ensure_ascii=False))
            if len(lines) == 1000:
                yield ("\n".join(lines) + "\n").encode()
                lines = []
        if lines:
            yield ("\n".join(lines) + "\n").encode()

    def _xlsx(self, lister, queryset, size: int):
        limit = settings.API_EXPORT_XLSX_MAX_ROWS
        # One row past the limit tells an export that is too large, without counting it all.
        if queryset[: limit + 1].count() > limit:
            raise ValidationError(
                {
                    "format": [
                        _(
                            "An XLSX export holds at most %(max)s rows and this one has more: ask for "
                            "?format=csv (or ndjson), which has no limit, or narrow it with filters."
                        )
                        % {"max": format_number(limit)}
                    ]
                }
            )
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(self.entity[:31])
        columns = None
        for chunk in keyset_chunks(queryset, size):
            for row in lister.get_serializer(chunk, many=True).data:
                flat = flatten(row)
                if columns is None:
                    columns = list(flat)
                    sheet.append(columns)
                sheet.append([_xlsx_cell(sheet, flat.get(column, "")) for column in columns])
        if columns is None:
            sheet.append(self._empty_header())
        # Closed by FileResponse once sent (a temporary file: deleted when closed).
        output = tempfile.TemporaryFile()  # noqa: SIM115
        workbook.save(output)
        output.seek(0)
        return FileResponse(output, as_attachment=True, filename=f"{self.entity}.xlsx", content_type=FORMATS["xlsx"])

    def _streaming(self, request, body: Iterator[bytes], fmt: str) -> StreamingHttpResponse:
        compress = wants_gzip(request)
        response = StreamingHttpResponse(gzipped(body) if compress else body, content_type=FORMATS[fmt])
        response["Content-Disposition"] = f'attachment; filename="{self.entity}.{fmt}"'
        response["Vary"] = "Accept-Encoding"
        if compress:
            response["Content-Encoding"] = "gzip"
        return response


def _chain_first(first: list, rest: Iterator[list]) -> Iterator[list]:
    yield first
    yield from rest


def _xlsx_cell(sheet, value):
    """A cell of the XLSX export; text a spreadsheet could run as a formula is stored as text
    with Excel's quote prefix (core.formulas)."""
    if isinstance(value, str) and looks_like_formula(value):
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell
    return value


FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=list(FORMATS),
    description=gettext_lazy(
        "csv (UTF-8 with a byte-order mark, the default), ndjson (one JSON object a line) or xlsx "
        "(up to API_EXPORT_XLSX_MAX_ROWS rows)."
    ),
)


def export_views(routes: Iterable[tuple[str, type, Callable | None]]) -> list[tuple[str, type]]:
    """(entity, view class) for each (entity, list viewset, COPY path or None)."""
    views = []
    for entity, viewset, copy_sql in routes:
        model = viewset.serializer_class.Meta.model
        attributes = {
            "viewset_class": viewset,
            "entity": entity,
            "copy_sql": staticmethod(copy_sql) if copy_sql else None,
            # What drf-spectacular reads to document the list's filters on the export.
            "filterset_class": getattr(viewset, "filterset_class", None),
            "queryset": model._default_manager.none(),
            "permission_classes": viewset.permission_classes,
            # A token limited to one plan exports what it may list (accounts.api.scope).
            "token_scope": getattr(viewset, "token_scope", None),
            "filter_backends": viewset.filter_backends,
            "__doc__": f"Every {model._meta.verbose_name} the reader may list, streamed, with the list's filters.",
        }
        view = type(f"{model.__name__}ExportView", (ExportView,), attributes)

        # A function of each view's own: drf-spectacular keeps its description on the function.
        def get(self, request, *args, **kwargs):
            return ExportView.get(self, request, *args, **kwargs)

        view.get = extend_schema(
            operation_id=f"export_{entity.replace('-', '_')}",
            parameters=[FORMAT_PARAMETER],
            responses={
                (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR),
                (200, "application/x-ndjson"): OpenApiResponse(OpenApiTypes.STR),
                (200, FORMATS["xlsx"]): OpenApiResponse(OpenApiTypes.BINARY),
            },
            tags=["export"],
        )(get)
        views.append((entity, view))
    return views


def copy_chunks(
    sql_for: Callable[[int, int], str], bounds: tuple[int, int] | None, header: list[str], size: int, time_zone: str
) -> Iterator[bytes]:
    """CSV by PostgreSQL's COPY: ``sql_for(low, high)`` is the COPY of the rows with ids from
    ``low`` up to (not including) ``high``, in id order, no cell holding a line break; ``bounds``
    the first and the last id of the rows (None: no rows). The ids are taken ``size`` at a time
    (at most ``size`` rows a statement), each statement with the session in ``time_zone`` (for
    its times' offsets). The first runs now, so that a failing query is an error answer, not a
    cut file.

    The next statements run in COPY_WORKERS threads of their own (each its own connection),
    each at most one chunk ahead of the client, and their chunks are sent in order: the
    database works on both cores while the last chunk is sent. Inside a transaction (a test's),
    whose rows another connection cannot see, they run one after the other instead."""
    head = (BOM + ",".join(header) + "\n").encode()
    if bounds is None:
        return iter([head])
    ranges = _IdRanges(bounds[0], bounds[1] + 1, max(1, size))
    first = _copy(sql_for(*ranges[0]), time_zone)
    if connection.in_atomic_block or len(ranges) == 1:
        return _copy_stream(head, first, sql_for, ranges, time_zone)
    return _copy_stream_ahead(head, first, sql_for, ranges, time_zone)


class _IdRanges:
    """[low, high) cut into ranges of `size` ids, by index, without listing them."""

    def __init__(self, low: int, high: int, size: int):
        self.low, self.high, self.size = low, high, size

    def __len__(self) -> int:
        return -(-(self.high - self.low) // self.size)

    def __getitem__(self, index: int) -> tuple[int, int]:
        start = self.low + index * self.size
        return start, min(start + self.size, self.high)


def _copy(sql: str, time_zone: str) -> bytes:
    buffer = io.BytesIO()
    with connection.cursor() as cursor:
        # Django keeps its connections in UTC: the site's zone for this statement only.
        cursor.execute("SET TIME ZONE %s", [time_zone])
        try:
            cursor.copy_expert(sql, buffer)
        finally:
            cursor.execute("SET TIME ZONE 'UTC'")
    return buffer.getvalue()


def _copy_stream(head: bytes, first: bytes, sql_for, ranges: "_IdRanges", time_zone: str) -> Iterator[bytes]:
    yield head
    if first:
        yield first
    for index in range(1, len(ranges)):
        data = _copy(sql_for(*ranges[index]), time_zone)
        if data:
            yield data


# Threads running the COPY statements after the first (the machine's cores, as PostgreSQL's
# parallel workers would), each holding at most one chunk ready: an export holds a few chunks.
COPY_WORKERS = 2


def _copy_stream_ahead(head: bytes, first: bytes, sql_for, ranges: "_IdRanges", time_zone: str) -> Iterator[bytes]:
    outboxes = [queue.Queue(maxsize=1) for _ in range(COPY_WORKERS)]
    stop = threading.Event()

    def hand_over(outbox: queue.Queue, item) -> bool:
        while not stop.is_set():
            try:
                outbox.put(item, timeout=0.5)
                return True
            except queue.Full:
                continue
        return False

    def produce(number: int):
        # Worker `number` takes the ranges 1 + number, 1 + number + COPY_WORKERS, …
        try:
            for index in range(1 + number, len(ranges), COPY_WORKERS):
                if stop.is_set():
                    return
                try:
                    data = _copy(sql_for(*ranges[index]), time_zone)
                except Exception as exc:  # handed to the response, which ends the file there
                    hand_over(outboxes[number], exc)
                    return
                if not hand_over(outboxes[number], data):
                    return
        finally:
            connection.close()  # this thread's own connection

    def next_chunk(number: int, worker: threading.Thread):
        while True:
            try:
                return outboxes[number].get(timeout=1)
            except queue.Empty:
                if not worker.is_alive() and outboxes[number].empty():
                    raise RuntimeError("an export's COPY thread stopped before its chunk") from None

    yield head
    if first:
        yield first
    workers = [
        threading.Thread(target=produce, args=(number,), name="export-copy-ahead", daemon=True)
        for number in range(COPY_WORKERS)
    ]
    for worker in workers:
        worker.start()
    try:
        for index in range(1, len(ranges)):
            number = (index - 1) % COPY_WORKERS
            item = next_chunk(number, workers[number])
            if isinstance(item, Exception):
                raise item
            if item:
                yield item
    finally:
        # The client went away (or the file is whole): the threads stop at their next chunk.
        stop.set()
        for worker in workers:
            worker.join(timeout=5)
