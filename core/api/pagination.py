from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from core import sync
from core.api.filters import UTCIsoDateTimeField


class PageNumberPagination(pagination.PageNumberPagination):
    """Page-number pagination; ``?page_size=`` up to 1,000. A CSV list is paged exactly like
    JSON (``?page=`` missing means the first page), so no answer builds an unbounded table in
    memory; its ``Link`` header names the next and previous pages and ``X-Total-Count`` the
    rows, and bulk copies use the streamed ``/api/v1/export/<entity>/`` endpoints (docs/bi.md).

    A list of a synced model (core.sync) also walks by cursor, for exact incremental syncs:
    ``?sync=1`` (or an empty ``?cursor=``) starts at the beginning, or at ``?updated_after=``;
    each page gives ``cursor`` (where the next sync resumes) and ``next`` (the next page's
    address, null at the end). Rows come in (change time, id) order, up to ``page_size`` (1,000
    at most, and by default) a page, and none changed in the last API_SYNC_LAG_SECONDS."""

    page_size_query_param = "page_size"
    max_page_size = 1000
    cursor_query_param = "cursor"
    sync_query_param = "sync"

    def paginate_queryset(self, queryset, request, view=None):
        self.sync_cursor = None
        params = request.query_params
        if self.cursor_query_param in params or self.sync_query_param in params:
            return self._paginate_by_cursor(queryset, request, view)
        return super().paginate_queryset(queryset, request, view)

    def _paginate_by_cursor(self, queryset, request, view):
        entry = sync.synced(queryset.model)
        # A view may walk by a time of its own (the deletions feed: deleted_at).
        field = getattr(view, "sync_field", None) or (entry.field if entry else None)
        if field is None:
            raise ValidationError({self.cursor_query_param: [_("This list does not walk by cursor.")]})
        if self.page_query_param in request.query_params:
            raise ValidationError({self.page_query_param: [_("Give either ?page= or a cursor, not both.")]})
        value = request.query_params.get(self.cursor_query_param, "")
        if value:
            try:
                moment, pk = sync.decode_cursor(value)
            except sync.CursorError as exc:
                raise ValidationError({self.cursor_query_param: [str(exc)]}) from exc
            # The first condition alone lets the database scan the change time's index from the cursor.
            queryset = queryset.filter(**{f"{field}__gte": moment}).filter(
                Q(**{f"{field}__gt": moment}) | Q(**{field: moment, "pk__gt": pk})
            )
            position = sync.encode_cursor(moment, pk)
        else:
            # ?updated_after= (a filter, already applied) is the starting point, if given.
            start = self._start(request, getattr(view, "sync_start_param", "updated_after"))
            position = sync.encode_cursor(start or sync.ORIGIN, sync.MAX_ID if start else 0)
        size = self.get_page_size(request) if self.page_size_query_param in request.query_params else None
        size = size or self.max_page_size
        queryset = queryset.filter(**{f"{field}__lte": sync.horizon(queryset.db)}).order_by(field, "pk")
        rows = list(queryset[: size + 1])
        more = len(rows) > size
        rows = rows[:size]
        if rows:
            position = sync.encode_cursor(getattr(rows[-1], field), rows[-1].pk)
        self.sync_cursor = position
        self.sync_more = more
        self.request = request
        self.display_page_controls = False
        return rows

    @staticmethod
    def _start(request, name):
        value = request.query_params.get(name)
        if not value:
            return None
        try:
            return UTCIsoDateTimeField().clean(value)
        except DjangoValidationError:
            return None  # the list's filter answered it with a 400 already

    def get_paginated_response(self, data):
        if self.sync_cursor is not None:
            url = self.request.build_absolute_uri()
            url = remove_query_param(url, self.sync_query_param)
            next_url = replace_query_param(url, self.cursor_query_param, self.sync_cursor) if self.sync_more else None
            headers = {"X-Sync-Cursor": self.sync_cursor}
            if next_url:
                headers["Link"] = f'<{next_url}>; rel="next"'
            return Response({"next": next_url, "cursor": self.sync_cursor, "results": data}, headers=headers)
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

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        # A cursor page has no count or previous page; a numbered page has no cursor.
        described["required"] = ["results"]
        described["properties"]["cursor"] = {
            "type": "string",
            "description": "Cursor mode (?sync=1 or ?cursor=): where the next sync resumes (?cursor=…).",
        }
        return described

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        serializer = view.get_serializer_class() if hasattr(view, "get_serializer_class") else None
        model = getattr(getattr(serializer, "Meta", None), "model", None)
        if not (getattr(view, "sync_field", None) or sync.synced(model)):
            return parameters
        parameters += [
            {
                "name": self.sync_query_param,
                "required": False,
                "in": "query",
                "description": _("Any value: walk the list by cursor from its beginning (or ?updated_after=)."),
                "schema": {"type": "string"},
            },
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": _("Resume a walk by cursor at a cursor this API handed out."),
                "schema": {"type": "string"},
            },
        ]
        return parameters
