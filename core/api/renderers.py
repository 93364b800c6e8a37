"""A CSV renderer so that any list endpoint answers ``?format=csv``; the browsable API under
the site's Content-Security-Policy."""

import csv
import io

from csp.constants import UNSAFE_INLINE
from rest_framework import renderers

from core.formulas import csv_text


def flatten(row, prefix=""):
    """Flatten nested objects into dotted columns; lists become ``;``-joined cells."""
    flat = {}
    for key, value in row.items():
        column = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, prefix=f"{column}."))
        elif isinstance(value, list):
            flat[column] = ";".join(
                str(item.get("id", item)) if isinstance(item, dict) else str(item) for item in value
            )
        else:
            flat[column] = "" if value is None else value
    return flat


class CSVRenderer(renderers.BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if isinstance(data, dict) and isinstance(data.get("results"), list):
            rows = data["results"]
        elif isinstance(data, list):
            rows = data
        else:
            rows = [data]
        flat_rows = [flatten(row) if isinstance(row, dict) else {"value": row} for row in rows]
        columns = list(dict.fromkeys(column for row in flat_rows for column in row))
        buffer = io.StringIO()
        # A byte-order mark so that Excel opens Chinese text as UTF-8.
        buffer.write("\ufeff")
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
        writer.writeheader()
        # Names, task names, notes… are typed by people: none may run as a formula in Excel.
        writer.writerows({column: csv_text(value) for column, value in row.items()} for row in flat_rows)
        self._set_filename(renderer_context)
        return buffer.getvalue().encode(self.charset)

    @staticmethod
    def _set_filename(renderer_context):
        if not renderer_context:
            return
        response = renderer_context.get("response")
        view = renderer_context.get("view")
        if response is None or response.status_code >= 400:
            return
        name = getattr(view, "basename", None) or "export"
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """DRF's pages for people exploring the API in a browser, within the Content-Security-Policy.

    Their templates position a few buttons with style attributes, which the policy allows on
    these pages only (style-src-attr); scripts stay as strict as everywhere. Pygments' colours
    (an inline <style> element when pygments is installed) are left out."""

    def get_context(self, data, accepted_media_type, renderer_context):
        context = super().get_context(data, accepted_media_type, renderer_context)
        context["code_style"] = None
        response = renderer_context.get("response")
        if response is not None:
            response._csp_update = {"style-src-attr": [UNSAFE_INLINE]}
        return context
