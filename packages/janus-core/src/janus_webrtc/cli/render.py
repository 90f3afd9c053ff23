"""How ``janusctl`` prints results: aligned text for people, JSON with ``--json``.

:func:`plain` turns results (dataclasses, mappings, sequences, classes) into JSON values;
:func:`render` lays those out as text: ``key  value`` rows for scalars, one table for a list
of records, and a titled section for each nested mapping or list of records.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Table", "plain", "render", "to_json"]


@dataclass(frozen=True)
class Table:
    """Rows under named columns; printed as an aligned table, or a list of objects in JSON.

    Attributes:
        columns: Column names (also the JSON keys).
        rows: One tuple of cells per row.
        empty: What text mode prints when there are no rows (``"no sessions"``).
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    empty: str = "nothing to show"


def plain(value: Any) -> Any:
    """Turn a result into JSON values (dataclass fields with ``repr=False`` are left out)."""
    if isinstance(value, Table):
        return [dict(zip(value.columns, map(plain, row), strict=True)) for row in value.rows]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value) if f.repr}
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if isinstance(value, type):
        return f"{value.__module__}.{value.__qualname__}"
    return value


def to_json(value: Any) -> str:
    """The result as indented JSON."""
    return json.dumps(plain(value), indent=2, sort_keys=True)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value) or "-"
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True)
    return str(value)


def _is_records(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


CELL_WIDTH = 48
"""Longest cell of a text table; longer ones are cut with an ellipsis (JSON has them whole)."""


def _fit(text: str) -> str:
    return text if len(text) <= CELL_WIDTH else text[: CELL_WIDTH - 1] + "\u2026"


def _table(columns: Sequence[str], rows: Sequence[Sequence[Any]], empty: str) -> list[str]:
    if not rows:
        return [empty]
    cells = [[_fit(_cell(c)) for c in row] for row in rows]
    header = [c.upper().replace("_", " ") for c in columns]
    widths = [max(len(x) for x in column) for column in zip(header, *cells, strict=True)]

    def line(row: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()

    return [line(header), *(line(row) for row in cells)]


def _records(items: list[dict[str, Any]]) -> list[str]:
    columns: list[str] = []
    for item in items:
        columns += [k for k in item if k not in columns]
    return _table(columns, [[item.get(c) for c in columns] for item in items], "none")


def _mapping(value: dict[str, Any], prefix: str = "") -> tuple[list[tuple[str, str]], list[str]]:
    """Split a mapping into ``key value`` rows and titled sections (nested records)."""
    rows: list[tuple[str, str]] = []
    sections: list[str] = []
    for key, item in value.items():
        name = f"{prefix}{key}"
        if _is_records(item):
            sections += ["", f"{name}:", *_records(item)]
        elif isinstance(item, dict) and item and all(isinstance(v, dict) for v in item.values()):
            records = [{"id": k, **v} for k, v in item.items()]
            sections += ["", f"{name}:", *_records(records)]
        elif isinstance(item, dict) and item:
            nested_rows, nested_sections = _mapping(item, f"{name}.")
            rows += nested_rows
            sections += nested_sections
        else:
            rows.append((name, _cell(item)))
    return rows, sections


def render(value: Any) -> str:
    """Lay a result out as text for a terminal (no trailing newline; ``""`` for None)."""
    if value is None:
        return ""
    if isinstance(value, Table):
        return "\n".join(_table(value.columns, value.rows, value.empty))
    data = plain(value)
    if isinstance(data, dict):
        rows, sections = _mapping(data)
        width = max((len(k) for k, _ in rows), default=0)
        lines = [f"{k.ljust(width)}  {v}".rstrip() for k, v in rows]
        return "\n".join(lines + sections).strip("\n")
    if _is_records(data):
        return "\n".join(_records(data))
    if isinstance(data, list):
        return "\n".join(_cell(v) for v in data)
    return _cell(data)
