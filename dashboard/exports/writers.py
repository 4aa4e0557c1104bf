"""Exports written from their Content (content.py): xlsx, csv, html, pptx.

Formula safety: no cell is ever a formula. In Excel every text cell is written as text, whatever
it begins with (openpyxl would otherwise read "=…" as a formula); in CSV, a cell beginning with
=, +, -, @, a tab or a carriage return gets a leading apostrophe (OWASP, "CSV injection").
"""

from __future__ import annotations

import csv
import functools
import io
import json
from html import escape
from pathlib import Path

import pandas as pd

from dashboard.exports.content import Content, Table
from dashboard.i18n import number, t

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


HEADER_FILL = "4472C4"  # the header colour of the tables' style (TableStyleMedium2), set on the cells too:
# LibreOffice and printed pages do not draw Excel's table styles
ABOUT_WIDTHS = (34, 100)  # the title page's two columns, in characters


def _lines(text: str, width: float) -> int:
    """Lines a wrapped cell `width` characters wide needs for `text`: words are not broken, and
    prose runs about 1.15 characters to a unit of width (a unit is the width of a "0")."""
    lines = 0
    for part in str(text).split("\n"):
        used, lines = None, lines + 1
        for word in part.split():
            if used is not None and used + 1 + len(word) > width * 1.15:
                used, lines = None, lines + 1
            used = len(word) if used is None else used + 1 + len(word)
    return lines


def _number_format(value) -> str | None:
    """Thousands grouped (Excel shows them in the reader's locale); a fraction to one decimal."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return "#,##0" if isinstance(value, int) else "#,##0.0"


def _print_setup(sheet) -> None:
    """Landscape, every column on one page's width (a printout or PDF is read, not scrolled)."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def write_xlsx(content: Content, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.table import Table as ExcelTable
    from openpyxl.worksheet.table import TableStyleInfo

    def font(**style) -> Font:  # named: a font without a name is drawn in a reader's default (a serif, often)
        return Font(name="Calibri", **style)

    book = Workbook()
    about = book.active
    about.title = t("x_sheet_about", content.lang)
    lines = [(content.title, True), (content.programme, False), ("", False),
             (t("x_selection", content.lang), True), *((s, False) for s in content.selection), ("", False),
             (t("x_generated", content.lang, at=content.generated, tz=content.timezone), False),
             ("", False), (t("x_definitions", content.lang), True)]  # fmt: skip
    row = 1
    for text, bold in lines:  # these run on across both columns (nothing to their right)
        _text_cell(about.cell(row, 1), text)
        about.cell(row, 1).font = font(bold=bold, size=14 if row == 1 else 11)
        row += 1
    top = Alignment(wrap_text=True, vertical="top")
    for name, definition in content.definitions:
        _text_cell(about.cell(row, 1), name)
        about.cell(row, 1).font = font(bold=True)
        _text_cell(about.cell(row, 2), definition)
        about.cell(row, 1).alignment = about.cell(row, 2).alignment = top
        # neither Excel nor LibreOffice grows a row for wrapped text written by openpyxl: set its height
        needed = max(_lines(name, ABOUT_WIDTHS[0] - 1), _lines(definition, ABOUT_WIDTHS[1] - 1))
        about.row_dimensions[row].height = 15 * needed + 4
        row += 1
    about.column_dimensions["A"].width, about.column_dimensions["B"].width = ABOUT_WIDTHS
    _print_setup(about)
    header_font, header_fill = font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor=HEADER_FILL)
    for table in content.tables:
        sheet = book.create_sheet(table.sheet)
        _text_cell(sheet["A1"], table.title)
        sheet["A1"].font = font(bold=True, size=14)
        frame = table.frame
        headers = [str(c) for c in frame.columns]
        grouped = table.key != "people"  # a person-level list can be long: its cells are left as they are
        indented = Alignment(horizontal="left", indent=1)  # text after right-aligned numbers keeps its distance
        for i, values in enumerate(frame.itertuples(index=False), start=4):
            for j, value in enumerate(values, start=1):
                cell = sheet.cell(i, j)
                value = _xlsx_value(value)
                _text_cell(cell, value)
                if not grouped:
                    continue
                if number_format := _number_format(value):
                    cell.number_format = number_format
                elif j > 1 and isinstance(value, str):
                    cell.alignment = indented
        last = get_column_letter(len(headers))
        end_row = max(4, 3 + len(frame))
        excel = ExcelTable(displayName=f"T_{table.key}", ref=f"A3:{last}{end_row}")
        excel.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
        sheet.add_table(excel)
        header_lines = 1
        for j, header in enumerate(headers, start=1):
            values = [_xlsx_value(v) for v in frame.iloc[:500, j - 1].tolist()]
            widest = max([0, *(len(_shown_in_xlsx(v)) for v in values)])
            # a long header wraps (between words) rather than widening a column of short numbers
            longest_word = max([0, *(len(w) for w in header.split())])
            width = min(max(10, widest + 2, longest_word + 3, min(len(header), 16) + 3), 60)  # bold: +1
            sheet.column_dimensions[get_column_letter(j)].width = width
            header_lines = max(header_lines, _lines(header, width - 2))
            numeric = any(_number_format(v) for v in values)  # a column of numbers: its header on the right
            cell = sheet.cell(3, j)
            _text_cell(cell, header)
            cell.font, cell.fill = header_font, header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="bottom", horizontal="right" if numeric else "left",
                                       indent=0 if numeric or j == 1 else 1)  # fmt: skip
        if header_lines > 1:
            sheet.row_dimensions[3].height = 15 * header_lines + 2
        sheet.freeze_panes = "A4"  # the header stays in view
        _print_setup(sheet)
        sheet.print_title_rows = "3:3"  # and on every printed page
    book.save(path)


def _shown_in_xlsx(value) -> str:
    """Roughly what a cell shows, for its column's width (grouped thousands take a character more)."""
    value = _xlsx_value(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return "" if value is None else str(value)


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


def shown_number(value, lang: str) -> str:
    """A count or figure as a reader sees it: 12 345 / 80,3 in Russian, 12,345 / 80.3 in English
    (whole numbers without decimals, fractions as they were rounded: one decimal, or two)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, int):
        return number(value, lang)
    return number(value, lang, 1 if round(value, 1) == value else 2)


def _html_table(table: Table, lang: str) -> str:
    head = "".join(f"<th>{escape(str(c))}</th>" for c in table.frame.columns)
    rows = []
    for values in table.frame.itertuples(index=False):
        cells = []
        for v in values:
            if hasattr(v, "item"):
                v = v.item()
            if v is None or (isinstance(v, float) and pd.isna(v)):
                cells.append("<td></td>")
                continue
            numeric = isinstance(v, int | float) and not isinstance(v, bool)
            shown = shown_number(v, lang) if numeric else str(v)
            cells.append(f'<td{" class=n" if numeric else ""}>{escape(shown)}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<h2>{escape(table.title)}</h2><table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


@functools.lru_cache(maxsize=2)
def _geo_assets(topojson_dir: Path) -> str:
    """The map's shapes as one compact JSON object (1.2 MB; parsing and writing it is half of an
    html export's time, so a server parses the bundled files once)."""
    shapes = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(topojson_dir.glob("world_*.json"))}
    return json.dumps(shapes, separators=(",", ":"))


def write_html(content: Content, path: Path, charts: dict, topojson_dir: Path) -> None:
    """One file that opens offline: plotly.js inline, the map's shapes embedded (plotly.js reads
    window.PlotlyGeoAssets before it would fetch them), every chart interactive."""
    from plotly.offline import get_plotlyjs

    config = {"displaylogo": False, "responsive": True}
    divs = {name: figure.to_html(full_html=False, include_plotlyjs=False, config=config, div_id=f"chart-{name}")
            for name, figure in charts.items()}  # fmt: skip
    cards = "".join(f'<div class="card">{escape(str(label))}<b>{escape(shown_number(value, content.lang))}</b></div>'
                    for label, value in content.tables[0].frame.itertuples(index=False))  # fmt: skip
    definitions = "".join(f"<dt>{escape(n)}</dt><dd>{escape(d)}</dd>" for n, d in content.definitions)
    lang = content.lang
    html = (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{escape(content.title)}</title>'
        f"<style>{HTML_STYLE}</style>"
        f"<script>window.PlotlyGeoAssets={{topojson:{_geo_assets(topojson_dir)}}};</script>"
        f"<script>{get_plotlyjs()}</script></head><body>"
        f"<h1>{escape(content.title)}</h1><p class=programme>{escape(content.programme)}</p>"
        f'<p class="selection"><b>{escape(t("x_selection", lang))}:</b> {escape("; ".join(content.selection))}<br>'
        f"{escape(t('x_generated', lang, at=content.generated, tz=content.timezone))}</p>"
        f'<div class="cards">{cards}</div>'
        + "".join(f'<div class="chart">{div}</div>' for div in divs.values())
        + "".join(_html_table(table, lang) for table in content.tables[1:])
        + f"<h2>{escape(t('x_definitions', lang))}</h2><dl>{definitions}</dl></body></html>"
    )
    path.write_text(html, encoding="utf-8")


# --- pptx -----------------------------------------------------------------------------------------


SLIDE_WIDTH_IN, SLIDE_HEIGHT_IN = 13.333, 7.5  # 16:9
PICTURE_TOP_IN, PICTURE_MARGIN_IN = 1.35, 0.25  # a chart's picture: below the title, to the slide's foot


def write_pptx(content: Content, path: Path, pictures: dict[str, bytes]) -> None:
    """A short deck for a meeting: title (programme, filters, date), the KPIs, then one slide per
    chart picture (rendered offline, exports/__init__.py)."""
    from pptx import Presentation
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
    from pptx.util import Emu, Inches, Pt

    lang = content.lang
    deck = Presentation()
    # the default template's layouts are drawn for 4:3 (10 in wide): every placeholder used is placed anew
    deck.slide_width, deck.slide_height = Inches(SLIDE_WIDTH_IN), Inches(SLIDE_HEIGHT_IN)
    side = Inches(0.6)
    wide = deck.slide_width - 2 * side

    def titled(layout: int, title: str):
        slide = deck.slides.add_slide(deck.slide_layouts[layout])
        shape = slide.shapes.title
        shape.left, shape.top, shape.width, shape.height = side, Inches(0.3), wide, Inches(0.95)
        shape.text = title
        shape.text_frame.paragraphs[0].font.size = Pt(32)
        return slide

    slide = deck.slides.add_slide(deck.slide_layouts[0])
    title, subtitle = slide.shapes.title, slide.placeholders[1]
    title.left, title.top, title.width, title.height = side, Inches(1.6), wide, Inches(1.4)
    title.text = content.title
    title.text_frame.paragraphs[0].font.size = Pt(44)
    subtitle.left, subtitle.top, subtitle.width, subtitle.height = side, Inches(3.2), wide, Inches(3.6)
    lines = [(content.programme, 24), *((s, 20) for s in content.selection),
             (t("x_generated", lang, at=content.generated, tz=content.timezone), 16)]  # fmt: skip
    frame = subtitle.text_frame
    frame.word_wrap = True
    for i, (text, size) in enumerate(line for line in lines if line[0]):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.text, paragraph.font.size = text, Pt(size)
        paragraph.space_before = Pt(10 if i else 0)

    slide = titled(5, t("x_sheet_kpis", lang))
    table = content.tables[0].frame
    rows = len(table) + 1
    widths = (Inches(7.0), Inches(3.2))
    row_height = Inches(min(0.42, 5.6 / rows))
    shape = slide.shapes.add_table(rows, 2, Emu((deck.slide_width - sum(widths)) // 2), Inches(1.45), sum(widths),
                                   row_height * rows)  # fmt: skip
    grid = shape.table
    for j, width in enumerate(widths):
        grid.columns[j].width = width
    for j, header in enumerate(table.columns):
        grid.cell(0, j).text = str(header)
    for i, (label, value) in enumerate(table.itertuples(index=False), start=1):
        grid.cell(i, 0).text = str(label)
        grid.cell(i, 1).text = shown_number(value, lang)
    for i in range(rows):
        grid.rows[i].height = row_height
        for j in (0, 1):
            cell = grid.cell(i, j)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            paragraph = cell.text_frame.paragraphs[0]
            paragraph.font.size = Pt(16)
            paragraph.font.bold = i == 0
            if j == 1:
                paragraph.alignment = PP_ALIGN.RIGHT

    for title, picture in pictures.items():
        slide = titled(5, title)
        added = slide.shapes.add_picture(io.BytesIO(picture), 0, Inches(PICTURE_TOP_IN))
        # as large as fits below the title, centred
        room_w = deck.slide_width - 2 * Inches(PICTURE_MARGIN_IN)
        room_h = deck.slide_height - Inches(PICTURE_TOP_IN + PICTURE_MARGIN_IN)
        scale = min(room_w / added.width, room_h / added.height)
        added.width, added.height = int(added.width * scale), int(added.height * scale)
        added.left = (deck.slide_width - added.width) // 2
    deck.save(path)
