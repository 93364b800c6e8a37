from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.formatting import format_number


class PageNumberPagination(pagination.PageNumberPagination):
    """Page-number pagination; ``?page_size=`` up to 1,000. A CSV export without ``?page=``
    gets every row in one file, so a BI tool or a spreadsheet needs no paging, as long as the
    list has at most settings.API_CSV_MAX_ROWS rows: a larger one is a 400 that says to page
    it or narrow it, so that no answer builds an unbounded table in memory."""

    page_size_query_param = "page_size"
    max_page_size = 1000

    def paginate_queryset(self, queryset, request, view=None):
        self.whole_csv = False
        renderer = getattr(request, "accepted_renderer", None)
        if renderer is not None and renderer.format == "csv" and self.page_query_param not in request.query_params:
            limit = settings.API_CSV_MAX_ROWS
            # One row past the limit tells a list that is too long, without counting it all.
            rows = list(queryset[: limit + 1])
            if len(rows) > limit:
                raise ValidationError(
                    {
                        "detail": _(
                            "This list has more than %(max)s rows, more than one CSV file may hold: ask for it "
                            "page by page (?page=1&page_size=%(page_size)s, then ?page=2…) or narrow it with "
                            "filters (such as ?updated_after= or a date range)."
                        )
                        % {"max": format_number(limit), "page_size": self.max_page_size}
                    }
                )
            self.whole_csv = True
            return rows
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        if self.whole_csv:
            return Response(data)
        return super().get_paginated_response(data)
