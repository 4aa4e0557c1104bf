"""Figures that leave the dashboard: `reach export` and the overview's download button.

    export(con, "xlsx", out, filters, lang)   — the file (or, for csv, the folder) at `out`
    as_bytes(con, "xlsx", filters, lang)      — the same in memory, for a download (csv: a zip)

Every format is built from one Content (content.py) and never asks the network for anything:
the html carries plotly.js and the map's shapes, the pptx's pictures are drawn by kaleido through
the local chromium with the bundled map shapes.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import duckdb

from dashboard import figures
from dashboard.exports import writers
from dashboard.exports.content import Content, build
from dashboard.filters import ALL, Filters
from dashboard.i18n import t
from dashboard.settings import PACKAGE_DIR

FORMATS = ("xlsx", "csv", "html", "pptx")
TOPOJSON = PACKAGE_DIR / "static" / "topojson"
MEDIA = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "application/zip",
         "html": "text/html",
         "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}  # fmt: skip


def charts(content: Content) -> dict:
    """The overview's charts for this content, by name."""
    lang, k = content.lang, content.threshold
    drawn = figures.overview_charts(content.overview, content.countries, content.roles, lang, k)
    found = {name: drawn[name] for name in ("map", "countries", "roles", "cumulative", "matrix")}
    if not k:  # a viewer's copy: the retention table hides small counts; its charts would show them
        found["retention"] = figures.new_returning_bars(content.retention.new_returning, lang)
        found["funnel"] = figures.funnel_bars(content.retention.funnel, lang)
    return found


# A chart's picture on a 16:9 slide below its title: drawn at this size in CSS pixels, then at twice
# the pixels (sharp on a projector). The chart's own 15 px text then reads at about 11 pt on the slide.
PICTURE_SIZE = (1200, 560)
PICTURE_SCALE = 2


def for_slide(figure):
    """The chart without its title (the slide's title names it) and without the room kept for it."""
    layout = figure.layout
    top = layout.margin.t if layout.margin.t is not None else 60
    figure.layout.title.text = ""
    figure.layout.margin.t = max(top - 45, 10)
    return figure


def pictures(content: Content) -> dict[str, bytes]:
    """Slide title -> PNG of each chart, rendered offline (kaleido finds the local chromium; the
    map's shapes come from the bundled files, never the CDN)."""
    import plotly.io as pio

    pio.defaults.topojson = TOPOJSON.as_uri()
    found = charts(content)
    titles = {"map": "map_title", "countries": "by_country_title", "roles": "by_role_title",
              "cumulative": "cumulative_title", "matrix": "x_matrix_title", "retention": "ret_new_returning_title",
              "funnel": "ret_funnel_title"}  # fmt: skip
    names = list(found)
    width, height = PICTURE_SIZE
    with tempfile.TemporaryDirectory() as folder:  # one browser for every picture (one each: seconds more)
        paths = [Path(folder) / f"{name}.png" for name in names]
        pio.write_images([for_slide(found[n]) for n in names], paths, format="png", width=width, height=height,
                         scale=PICTURE_SCALE)  # fmt: skip
        return {t(titles[name], content.lang): path.read_bytes() for name, path in zip(names, paths, strict=True)}


def write(content: Content, fmt: str, out: Path) -> Path:
    if fmt == "xlsx":
        writers.write_xlsx(content, out)
    elif fmt == "csv":
        writers.write_csv(content, out)
    elif fmt == "html":
        writers.write_html(content, out, charts(content), TOPOJSON)
    elif fmt == "pptx":
        writers.write_pptx(content, out, pictures(content))
    else:
        raise ValueError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    return out


def export(con: duckdb.DuckDBPyConnection, fmt: str, out: Path, filters: Filters = ALL, lang: str = "ru", *,
           with_people: bool = False, threshold: int | None = None) -> Path:  # fmt: skip
    return write(build(con, filters, lang, with_people=with_people, threshold=threshold), fmt, out)


def as_bytes(con: duckdb.DuckDBPyConnection, fmt: str, filters: Filters = ALL, lang: str = "ru", *,
             with_people: bool = False, threshold: int | None = None) -> bytes:  # fmt: skip
    """The export in memory: the file's bytes, or for csv a zip of its files."""
    content = build(con, filters, lang, with_people=with_people, threshold=threshold)
    if fmt == "csv":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in writers.csv_files(content).items():
                archive.writestr(name, data)
        return buffer.getvalue()
    with tempfile.TemporaryDirectory() as folder:
        path = write(content, fmt, Path(folder) / f"export.{fmt}")
        return path.read_bytes()


def file_name(fmt: str, lang: str) -> str:
    """The download's name: reach_<overview|обзор>.<ext> (csv: a zip)."""
    return f"reach_{t('x_file_stem', lang)}.{'zip' if fmt == 'csv' else fmt}"
