"""How the tests reach the campaign's RACI matrix page, and read it as the page draws it."""

from html.parser import HTMLParser

from django.urls import reverse


class Matrix(HTMLParser):
    """The matrix as the page draws it: for each task row, the letter under each person's and
    department's column, and which rows are flagged overdue."""

    def __init__(self, html: str):
        super().__init__()
        self.columns: list[dict] = []
        self.table_class = ""
        self.rows: dict[int, list[dict]] = {}
        self.row_classes: dict[int, str] = {}
        self.order: list[int] = []
        self._in_head = False
        self._header_row: list[dict] = []
        self._row: int | None = None
        self._cell: dict | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "table" and attrs.get("id") == "raci-table":
            self.table_class = attrs.get("class", "")
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr" and self._in_head:
            self._header_row = []
        elif tag == "th" and self._in_head:
            self._header_row.append(attrs)
        elif tag == "tr" and "data-task" in attrs:
            self._row = int(attrs["data-task"])
            self.rows[self._row] = []
            self.row_classes[self._row] = attrs.get("class", "")
            self.order.append(self._row)
        elif tag in ("th", "td") and self._row is not None:
            self._cell = {**attrs, "text": ""}
            self.rows[self._row].append(self._cell)

    def handle_endtag(self, tag):
        if tag == "thead":
            self._in_head = False
            self.columns = self._header_row
        elif tag == "tr":
            self._row = None
        elif tag in ("td", "th"):
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["text"] += data

    def roles(self, task) -> dict[tuple[str, int], str]:
        """{("user" | "department", id): letter} for the task's non-empty cells."""
        found = {}
        for column, cell in zip(self.columns, self.rows[task.pk], strict=True):
            if column.get("data-kind") and (cell.get("data-role") or "raci-collab" in cell.get("class", "")):
                found[(column["data-kind"], int(column["data-id"]))] = cell.get("data-role", "") + (
                    "+collab" if "raci-collab" in cell.get("class", "") else ""
                )
        return found

    @property
    def editable(self) -> bool:
        return "raci-editable" in self.table_class.split()

    def column_ids(self, kind: str) -> list[int]:
        return [int(column["data-id"]) for column in self.columns if column.get("data-kind") == kind]


def matrix_url(campaign, **query) -> str:
    """The matrix page's address, with the filters given as query parameters."""
    url = reverse("tasks:raci_matrix", args=[campaign.pk])
    if query:
        url += "?" + "&".join(f"{name}={value}" for name, value in query.items())
    return url


def assign_url(campaign) -> str:
    """Where the grid posts a Consulted or Informed role."""
    return reverse("tasks:raci_assign", args=[campaign.pk])
