from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """Page-number pagination; ``?page_size=`` up to 1,000. A CSV export without ``?page=``
    is not paginated, so a BI tool or a spreadsheet gets every row in one file."""

    page_size_query_param = "page_size"
    max_page_size = 1000

    def paginate_queryset(self, queryset, request, view=None):
        renderer = getattr(request, "accepted_renderer", None)
        if renderer is not None and renderer.format == "csv" and self.page_query_param not in request.query_params:
            return None
        return super().paginate_queryset(queryset, request, view)
