"""Exports written from their Content (content.py): xlsx, csv, html, pptx.

Formula safety: no cell is ever a formula. In Excel every text cell is written as text, whatever
it begins with (openpyxl would otherwise read "=…" as a formula); in CSV, a cell beginning with
=, +, -, @, a tab or a carriage return gets a leading apostrophe (OWASP, "CSV injection").
"""

from __future__ import annotations

import csv
import io
import json
from html import escape
from pathlib import Path

import pandas as pd

from dashboard.exports.content import Content, Table
from dashboard.i18n import t

RISKY = ("=", "+", "-", "@", "\t", "\r")


# --- xlsx -----------------------------------------------------------------------------------------


def _xlsx_value(value):
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    return value


def _text_cell(cell, value) -> None:
    """A cell holding `value`, text always as text (never a formula)."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def write_xlsx(content: Content, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.table import Table as ExcelTable
    from openpyxl.worksheet.table import TableStyleInfo

    book = Workbook()
    about = book.active
    about.title = t("x_sheet_about", content.lang)
    lines = [(content.title, True), (content.programme, False), ("", False),
             (t("x_selection", content.lang), True), *((s, False) for s in content.selection), ("", False),
             (t("x_generated", content.lang, at=content.generated, tz=content.timezone), False),
             ("", False), (t("x_definitions", content.lang), True)]  # fmt: skip
    row = 1
    for text, bold in lines:
        _text_cell(about.cell(row, 1), text)
        about.cell(row, 1).font = Font(bold=bold, size=14 if row == 1 else 11)
        row += 1
    for name, definition in content.definitions:
        _text_cell(about.cell(row, 1), name)
        about.cell(row, 1).font = Font(bold=True)
        _text_cell(about.cell(row, 2), definition)
        about.cell(row, 2).alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    about.column_dimensions["A"].width = 42
    about.column_dimensions["B"].width = 110
    for table in content.tables:
        sheet = book.create_sheet(table.sheet)
        _text_cell(sheet["A1"], table.title)
        sheet["A1"].font = Font(bold=True, size=14)
        frame = table.frame
        headers = [str(c) for c in frame.columns]
        for j, header in enumerate(headers, start=1):
            _text_cell(sheet.cell(3, j), header)
        for i, values in enumerate(frame.itertuples(index=False), start=4):
            for j, value in enumerate(values, start=1):
                _text_cell(sheet.cell(i, j), _xlsx_value(value))
        last = get_column_letter(len(headers))
        end_row = max(4, 3 + len(frame))
        excel = ExcelTable(displayName=f"T_{table.key}", ref=f"A3:{last}{end_row}")
        excel.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
        sheet.add_table(excel)
        for j, header in enumerate(headers, start=1):
            widest = max([len(header), *(len(str(v)) for v in frame.iloc[:, j - 1].tolist()[:500])])
            sheet.column_dimensions[get_column_letter(j)].width = min(max(10, widest + 2), 60)
    book.save(path)


# --- csv ------------------------------------------------------------------------------------------


def csv_safe(value):
    """A cell value for CSV: text beginning with a formula character gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(RISKY):
        return "'" + value
    return value


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_safe(str(c)) for c in frame.columns])
    for values in frame.itertuples(index=False):
        writer.writerow(["" if v is None or (isinstance(v, float) and pd.isna(v)) else csv_safe(v) for v in values])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # a BOM, so that Excel reads UTF-8


def csv_files(content: Content) -> dict[str, bytes]:
    """File name -> bytes: about.csv (title, selection, definitions), then one CSV per table."""
    about = pd.DataFrame(
        [(content.title, content.programme), (t("x_selection", content.lang), "; ".join(content.selection)),
         (t("x_generated", content.lang, at=content.generated, tz=content.timezone), ""), *content.definitions],
        columns=[t("x_figure", content.lang), t("x_value", content.lang)],
    )  # fmt: skip
    files = {"about.csv": _csv_bytes(about)}
    files.update({f"{table.key}.csv": _csv_bytes(table.frame) for table in content.tables})
    return files


def write_csv(content: Content, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in csv_files(content).items():
        (folder / name).write_bytes(data)


# --- html -----------------------------------------------------------------------------------------

HTML_STYLE = """
body{font-family:"Source Sans Pro",Arial,sans-serif;color:#1b1f24;margin:2rem auto;max-width:1280px;padding:0 1rem}
h1{margin-bottom:.2rem}.programme{color:#4a5563;margin-top:0}
.selection{background:#eef3fb;padding:.6rem 1rem;border-radius:.4rem}
.cards{display:grid;grid-template-columns:repeat(4,1fr);gap:.8rem;margin:1rem 0}
.card{border:1px solid #d5dae1;border-radius:.5rem;padding:.7rem 1rem}.card b{display:block;font-size:1.8rem}
.charts{display:grid;grid-template-columns:3fr 2fr;gap:1rem}table{border-collapse:collapse;margin:.5rem 0 1.5rem}
th,td{border:1px solid #d5dae1;padding:.25rem .6rem;text-align:left;vertical-align:top}th{background:#f2f4f7}
td.n{text-align:right}dl dt{font-weight:bold;margin-top:.6rem}dl dd{margin-left:0}
@media print{.charts{display:block}body{margin:0;max-width:none}}
"""


def _html_table(table: Table) -> str:
    head = "".join(f"<th>{escape(str(c))}</th>" for c in table.frame.columns)
    rows = []
    for values in table.frame.itertuples(index=False):
        cells = []
        for v in values:
            shown = "" if v is None or (isinstance(v, float) and pd.isna(v)) else v
            numeric = isinstance(shown, int | float) and not isinstance(shown, bool)
            cells.append(f'<td{" class=n" if numeric else ""}>{escape(str(shown))}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<h2>{escape(table.title)}</h2><table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def write_html(content: Content, path: Path, charts: dict, topojson_dir: Path) -> None:
    """One file that opens offline: plotly.js inline, the map's shapes embedded (plotly.js reads
    window.PlotlyGeoAssets before it would fetch them), every chart interactive."""
    from plotly.offline import get_plotlyjs

    shapes = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(topojson_dir.glob("world_*.json"))}
    config = {"displaylogo": False, "responsive": True}
    divs = {name: figure.to_html(full_html=False, include_plotlyjs=False, config=config, div_id=f"chart-{name}")
            for name, figure in charts.items()}  # fmt: skip
    cards = "".join(f'<div class="card">{escape(str(label))}<b>{escape(str(value))}</b></div>'
                    for label, value in content.tables[0].frame.itertuples(index=False))  # fmt: skip
    definitions = "".join(f"<dt>{escape(n)}</dt><dd>{escape(d)}</dd>" for n, d in content.definitions)
    lang = content.lang
    html = (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{escape(content.title)}</title>'
        f"<style>{HTML_STYLE}</style>"
        f"<script>window.PlotlyGeoAssets={{topojson:{json.dumps(shapes, separators=(',', ':'))}}};</script>"
        f"<script>{get_plotlyjs()}</script></head><body>"
        f"<h1>{escape(content.title)}</h1><p class=programme>{escape(content.programme)}</p>"
        f'<p class="selection"><b>{escape(t("x_selection", lang))}:</b> {escape("; ".join(content.selection))}<br>'
        f"{escape(t('x_generated', lang, at=content.generated, tz=content.timezone))}</p>"
        f'<div class="cards">{cards}</div>'
        + "".join(f'<div class="chart">{div}</div>' for div in divs.values())
        + "".join(_html_table(table) for table in content.tables[1:])
        + f"<h2>{escape(t('x_definitions', lang))}</h2><dl>{definitions}</dl></body></html>"
    )
    path.write_text(html, encoding="utf-8")


# --- pptx -----------------------------------------------------------------------------------------


def write_pptx(content: Content, path: Path, pictures: dict[str, bytes]) -> None:
    """A short deck for a meeting: title (programme, period, filters), the KPIs, then one slide per
    chart picture (rendered offline, exports/charts.py)."""
    from pptx import Presentation
    from pptx.util import Inches, Pt

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    slide = deck.slides.add_slide(deck.slide_layouts[0])
    slide.shapes.title.text = content.title
    slide.placeholders[1].text = "\n".join([content.programme, *content.selection, content.generated])
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    slide.shapes.title.text = t("x_sheet_kpis", content.lang)
    frame = content.tables[0].frame
    rows = len(frame) + 1
    shape = slide.shapes.add_table(rows, 2, Inches(1.5), Inches(1.5), Inches(10), Inches(0.4) * rows)
    grid = shape.table
    for j, header in enumerate(frame.columns):
        grid.cell(0, j).text = str(header)
    for i, (label, value) in enumerate(frame.itertuples(index=False), start=1):
        grid.cell(i, 0).text = str(label)
        grid.cell(i, 1).text = "—" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
        for j in (0, 1):
            grid.cell(i, j).text_frame.paragraphs[0].font.size = Pt(16)
    for title, picture in pictures.items():
        slide = deck.slides.add_slide(deck.slide_layouts[5])
        slide.shapes.title.text = title
        slide.shapes.add_picture(io.BytesIO(picture), Inches(0.9), Inches(1.4), height=Inches(5.8))
    deck.save(path)
