"""The `Chart` value every chart function returns: a Vega-Lite spec plus its data as a table."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Sequence, Sized
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeAlias

import altair as alt
import numpy as np
from numpy.typing import NDArray

from zwk.charts import renderer
from zwk.charts.theme import base_config


def plain(value: Any) -> Any:
    """Turn numpy/pandas scalars into plain Python values that JSON and openpyxl accept."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    return value


# What the chart functions take as a series of numbers: lists, tuples and numpy arrays alike
# (as_list turns them into plain lists).
Numbers: TypeAlias = "Sequence[float] | NDArray[Any]"


def as_list(values: Iterable[Any]) -> list[Any]:
    """Accept lists, tuples, numpy arrays and pandas Series alike."""
    return [plain(v) for v in np.asarray(list(values), dtype=object)]


def _csv_cell(value: Any, decimal: str) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""    # a missing value is an empty cell, never "None" or "nan"
    if isinstance(value, float):
        text = str(int(value)) if value.is_integer() else f"{round(value, 4)}"
        return text.replace(".", decimal)
    return str(value)


@dataclass(frozen=True)
class DataTable:
    """The chart's data as a plain table: German headers and rows of plain values.

    It is shown beside every chart as the accessible alternative and offered as CSV.
    """

    headers: list[str]
    rows: list[list[Any]]

    def to_csv(self, sep: str = ";", decimal: str = ",") -> str:
        """CSV as German spreadsheet programs expect it by default: `;` and decimal comma."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=sep, lineterminator="\r\n")
        writer.writerow(self.headers)
        for row in self.rows:
            writer.writerow([_csv_cell(v, decimal) for v in row])
        return buffer.getvalue()

    def as_dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.headers, row, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class Chart:
    """A finished chart. `spec` is Vega-Lite JSON; `table` holds the same data for people."""

    spec: dict[str, Any]
    table: DataTable
    kind: str = ""
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        title = self.spec.get("title", "")
        return title.get("text", "") if isinstance(title, dict) else str(title)

    @property
    def description(self) -> str:
        return str(self.spec.get("description", ""))

    def to_json(self) -> str:
        return json.dumps(self.spec, ensure_ascii=False)

    def to_svg(self) -> str:
        return renderer.vegalite_to_svg(self.spec)

    def to_png(self, scale: float = 2.0) -> bytes:
        return renderer.vegalite_to_png(self.spec, scale=scale)

    def to_csv(self) -> str:
        return self.table.to_csv()


def build(
    chart: alt.TopLevelMixin,
    *,
    kind: str,
    title: str,
    description: str,
    table: DataTable,
    subtitle: str | None = None,
) -> Chart:
    """Finish an Altair chart: German title, screen-reader description, shared config."""
    title_param = alt.Title(title, subtitle=subtitle) if subtitle else title
    spec = chart.properties(title=title_param, description=description).to_dict()
    spec["config"] = {**base_config(), **spec.get("config", {})}
    return Chart(spec=spec, table=table, kind=kind)


def check_same_length(**columns: Sized | None) -> int:
    """Fail early with the offending argument's name instead of inside Vega."""
    lengths = {name: len(values) for name, values in columns.items() if values is not None}
    if len(set(lengths.values())) > 1:
        raise ValueError(f"Die Datenreihen sind unterschiedlich lang: {lengths}")
    return next(iter(lengths.values()), 0)
