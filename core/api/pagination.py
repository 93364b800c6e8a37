from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """Page-number pagination; ``?page_size=`` up to 1,000. A CSV list is paged exactly like
    JSON (``?page=`` missing means the first page), so no answer builds an unbounded table in
    memory; its ``Link`` header names the next and previous pages, and bulk copies use the
    streamed ``/api/v1/export/<entity>/`` endpoints (docs/bi.md)."""

    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        renderer = getattr(self.request, "accepted_renderer", None)
        if renderer is not None and renderer.format == "csv":
            # The CSV body has no room for the count and the links: they travel as headers.
            links = [
                f'<{link}>; rel="{rel}"'
                for rel, link in (("next", self.get_next_link()), ("prev", self.get_previous_link()))
                if link
            ]
            if links:
                response["Link"] = ", ".join(links)
            response["X-Total-Count"] = str(self.page.paginator.count)
        return response
