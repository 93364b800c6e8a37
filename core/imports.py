"""What an import of rows from a file answers, whatever it imports."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RowError:
    """One problem: the row as the spreadsheet numbers it (None for the file as a whole),
    the column's header as written in the file, and what is wrong."""

    row: int | None
    column: str
    message: str


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors
