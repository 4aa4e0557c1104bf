"""Exports read back: xlsx (openpyxl: no formula cell, a hostile name stays text), csv (BOM,
apostrophes), html (Chromium with the network blocked: the map's shapes drawn), pptx (python-pptx:
slides and pictures). Figures are those of the hand-made programme (tests/programme.py), by hand."""

import csv
import io
import zipfile
from pathlib import Path

import pytest

from dashboard import cli, database, exports
from dashboard.exports import writers
from dashboard.imports.loader import import_file
from tests import programme
from tests.test_browser import browser  # noqa: F401 - the shared headless Chromium (a fixture)

HOSTILE_TITLE = '=HYPERLINK("http://evil.example/","click")'
HOSTILE_NAME = "=cmd|' /C calc'!A0"
SHEET = ("ФИО;E-mail;Страна;Должность;Вебинар;Дата;Вход;Выход\n"
         f'"{HOSTILE_NAME}";mal@evil.example;Армения;студент;"{HOSTILE_TITLE.replace(chr(34), chr(34) * 2)}";'
         "20.10.2026;20.10.2026 11:00;20.10.2026 11:30\n")  # fmt: skip


@pytest.fixture
def db(tmp_path) -> Path:
    """The hand-made programme and one more webinar whose title and participant are hostile."""
    path = tmp_path / "export.duckdb"
    con = programme.build(database.connect(path))
    result = import_file(con, SHEET.encode("utf-8"), "hostile.csv", zone="Asia/Yekaterinburg")
    assert result.status == "imported", result.summary()
    con.close()
    return path


def export_with_cli(db: Path, fmt: str, out: Path, *extra: str) -> Path:
    assert cli.main(["export", "--format", fmt, "--out", str(out), "--db", str(db), *extra]) == 0
    return out


def test_xlsx_holds_a_title_page_and_one_native_table_per_sheet_and_no_formula(db, tmp_path):
    from openpyxl import load_workbook

    book = load_workbook(export_with_cli(db, "xlsx", tmp_path / "r.xlsx", "--lang", "en", "--with-people"))
    assert book.sheetnames == ["About", "Key figures", "By country", "By role", "Country x role", "By webinar",
                               "Retention", "Webinars per participant", "Participants (personal data)"]  # fmt: skip
    about = book["About"]
    assert (about["A1"].value, about["A4"].value, about["A5"].value) == (
        "Webinar programme reach", "Selection", "All participants of all webinars")  # fmt: skip
    assert "Participants (reach)" in [row[0].value for row in about.iter_rows(min_col=1, max_col=1)]
    kpis = book["Key figures"]
    assert kpis["A1"].value == "Key figures" and list(kpis.tables) == ["T_kpis"]
    figures = {kpis.cell(r, 1).value: kpis.cell(r, 2).value for r in range(4, kpis.max_row + 1)}
    # by hand: the five of tests/programme.py and the hostile sheet's one participant (Armenia, student)
    found = (figures["Participants"], figures["Registrants"], figures["Webinars"], figures["Countries reached (all)"])
    assert found == (6, 4, 4, 4)
    countries = book["By country"]
    rows = [[c.value for c in row] for row in countries.iter_rows(min_row=3, values_only=False)]
    assert rows[0] == ["Code", "Country", "Stage", "Participants"]
    assert rows[1:] == [["AM", "Armenia", 1, 2], ["BY", "Belarus", 1, 1], ["KZ", "Kazakhstan", 1, 1],
                        ["RU", "Russia", 1, 1], ["unknown", "Country unknown", None, 1]]  # fmt: skip
    # retention by hand (tests/test_retention.py) and the hostile sheet's webinar (20.10, one new
    # participant, no registrations, no planned length: "stayed half" cannot be known); w3 starts
    # 15.10 20:00 UTC, the 16th in the programme's zone (Asia/Yekaterinburg)
    kept = [[c.value for c in row] for row in book["Retention"].iter_rows(min_row=3)]
    assert kept[0] == ["Date", "Webinar", "New", "Returning", "Registered", "Attended", "Stayed at least half",
                       "Came back later"]  # fmt: skip
    assert [row[:1] + row[2:] for row in kept[1:]] == [
        ["01.10.2026", 2, 0, 2, 2, 2, 1], ["08.10.2026", 2, 1, 3, 3, 1, 0], ["16.10.2026", 1, 0, 1, 1, 1, 0],
        ["20.10.2026", 1, 0, 0, 1, None, 0]]  # fmt: skip
    per_person = [[c.value for c in row] for row in book["Webinars per participant"].iter_rows(min_row=3)]
    assert per_person == [["Webinars attended", "Participants"], [1, 5], [2, 1]]
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # no formula anywhere
    hostile = [c for c in cells if c.value in (HOSTILE_TITLE, HOSTILE_NAME)]
    assert {c.value for c in hostile} == {HOSTILE_TITLE, HOSTILE_NAME} and {c.data_type for c in hostile} == {"s"}
    assert all(len(name) <= 31 for name in book.sheetnames)


def test_without_people_there_is_no_personal_data(db, tmp_path):
    from openpyxl import load_workbook

    book = load_workbook(export_with_cli(db, "xlsx", tmp_path / "r.xlsx"))
    assert book.sheetnames[-1] == "Вебинаров на участника"
    values = {str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row}
    private = {"ann@x.org", " Bob@Y.org ", "cara@z.org", "dan@q.kz", "eve@w.org", "mal@evil.example", HOSTILE_NAME,
               "Ёлкина  Мария", "Ann", "Bob", "Cara", "Dan", "Eve"}  # fmt: skip
    assert not any(p in v for v in values for p in private if "@" in p) and not values & private


def test_csv_is_a_folder_of_utf8_files_with_a_bom_and_no_live_formula(db, tmp_path):
    folder = export_with_cli(db, "csv", tmp_path / "csv", "--with-people")
    assert sorted(p.name for p in folder.iterdir()) == ["about.csv", "by_country.csv", "by_role.csv", "kpis.csv",
                                                        "matrix.csv", "people.csv", "per_person.csv", "retention.csv",
                                                        "webinars.csv"]  # fmt: skip
    stages = list(csv.reader(io.StringIO((folder / "by_country.csv").read_text(encoding="utf-8-sig"))))
    assert [row[2] for row in stages[1:]] == ["1", "1", "1", "1", ""]  # whole stages, never "1.0"
    data = (folder / "webinars.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert ["'" + HOSTILE_TITLE] == [cell for row in rows for cell in row if "HYPERLINK" in cell]
    people = list(csv.reader(io.StringIO((folder / "people.csv").read_text(encoding="utf-8-sig"))))
    assert ["'" + HOSTILE_NAME] == [cell for row in people for cell in row if "cmd" in cell]


@pytest.mark.parametrize(("value", "safe"), [
    ("=1+1", "'=1+1"), ("+7 900", "'+7 900"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("Анна", "Анна"), (-5, -5), (3.5, 3.5),
])  # fmt: skip
def test_csv_cells_that_begin_like_a_formula_get_an_apostrophe(value, safe):
    assert writers.csv_safe(value) == safe


def test_a_csv_download_is_a_zip_of_the_same_files(db):
    con, _ = database.open_for_reading(db)
    data = exports.as_bytes(con, "csv", lang="en")
    con.close()
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert names == ["about.csv", "kpis.csv", "by_country.csv", "by_role.csv", "matrix.csv", "webinars.csv",
                     "retention.csv", "per_person.csv"]  # fmt: skip


def test_pptx_has_a_title_the_figures_and_a_picture_per_chart(db, tmp_path):
    from pptx import Presentation

    deck = Presentation(str(export_with_cli(db, "pptx", tmp_path / "r.pptx", "--lang", "en")))
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert titles[:2] == ["Webinar programme reach", "Key figures"]
    pictures = [sum(1 for s in slide.shapes if s.shape_type == 13) for slide in deck.slides]  # 13: PICTURE
    assert pictures[:2] == [0, 0] and all(n == 1 for n in pictures[2:]) and len(pictures) >= 6
    assert "Participants across the CIS" in titles
    assert titles[-2:] == ["New and returning participants", "Funnel per webinar"]


def test_a_missing_folder_or_a_folder_as_file_is_refused(db, tmp_path, capsys):
    assert cli.main(["export", "--format", "xlsx", "--out", str(tmp_path / "no" / "r.xlsx"), "--db", str(db)]) == 2
    assert f"the folder {tmp_path / 'no'} does not exist" in capsys.readouterr().err
    assert cli.main(["export", "--format", "xlsx", "--out", str(tmp_path), "--db", str(db)]) == 2
    assert "is a folder; name the file to write" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.partial"))


@pytest.mark.browser
def test_the_html_opens_offline_with_every_chart_and_the_map_s_shapes(db, tmp_path, browser):  # noqa: F811
    html = export_with_cli(db, "html", tmp_path / "r.html", "--lang", "en")
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    requests: list[str] = []

    def route(r):
        if not r.request.url.startswith("file://"):
            requests.append(r.request.url)
            return r.abort()
        return r.continue_()

    page.route("**/*", route)
    page.goto(html.as_uri())
    page.wait_for_selector("#chart-map .choroplethlocation", state="attached", timeout=30_000)
    # the map colours the four known countries of the selection: Armenia, Belarus, Kazakhstan, Russia
    assert page.locator("#chart-map .choroplethlocation").count() == 4
    assert page.locator(".js-plotly-plot").count() >= 4
    assert "Selection: All participants of all webinars" in page.inner_text("body")
    assert requests == []  # nothing left the file
    page.close()
