"""Figure builders: the right data in the right traces, labelled in the user's language."""

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import figures, reference

COUNTRIES = reference.countries()
ROLES = reference.roles()
BY_COUNTRY = pd.DataFrame(
    {
        "country": ["RU", "UZ", "GE", "unknown", "KZ"],
        "stage": pd.array([1, 2, None, None, 1], dtype="Int64"),
        "participants": [10, 4, 3, 2, 1],
    }
)


def test_country_bars_are_grouped_by_stage_with_unknown_kept():
    fig = figures.country_bars(BY_COUNTRY, COUNTRIES, "ru")
    traces = {tr.name: (list(tr.y), list(tr.x)) for tr in fig.data}
    assert traces == {
        "Этап 1": (["Россия", "Казахстан"], [10, 1]),
        "Этап 2": (["Узбекистан"], [4]),
        "Вне этапов": (["Грузия"], [3]),
        "Страна не указана": (["Страна не указана"], [2]),
    }
    assert fig.layout.xaxis.title.text == "Участники, чел."
    assert "Участники по странам" in fig.layout.title.text


def test_country_bars_in_english():
    fig = figures.country_bars(BY_COUNTRY, COUNTRIES, "en")
    assert [tr.name for tr in fig.data] == ["Stage 1", "Stage 2", "Outside the stages", "Country unknown"]
    assert list(fig.data[0].y) == ["Russia", "Kazakhstan"]


def test_map_shows_known_countries_by_iso3():
    fig = figures.country_map(BY_COUNTRY, COUNTRIES, "en")
    (trace,) = fig.data
    assert (list(trace.locations), list(trace.customdata), list(trace.text)) == (
        ["RUS", "UZB", "GEO", "KAZ"],
        [[10, "RU"], [4, "UZ"], [3, "GE"], [1, "KZ"]],  # the count for the hover, the code for a click
        ["Russia", "Uzbekistan", "Georgia", "Kazakhstan"],
    )
    assert trace.locationmode == "ISO-3"
    # coloured by the square root, so small countries show; the colour bar reads in persons
    assert list(trace.z) == pytest.approx([10**0.5, 2.0, 3**0.5, 1.0])
    assert list(trace.colorbar.ticktext) == ["0", "1", "2", "5", "10"]


def test_role_bars_follow_role_order_and_translate():
    by_role = pd.DataFrame({"role": ["executive", "student", "unknown"], "participants": [5, 3, 1]})
    fig = figures.role_bars(by_role, ROLES, "en")
    assert list(fig.data[0].x) == [5, 3, 1]
    assert list(fig.data[0].y) == [
        "Heads of enterprises and<br>organisations",
        "Students and<br>postgraduates",
        "Role not stated",
    ]


def test_cumulative_reach_has_line_and_bars():
    cumulative = pd.DataFrame(
        {
            "event_key": ["a", "b"],
            "event_date": pd.to_datetime(["2026-10-01", "2026-10-08"]),
            "title": ["A", "B"],
            "new_participants": [5, 2],
            "cumulative_participants": [5, 7],
        }
    )
    fig = figures.cumulative_reach(cumulative, "ru")
    bars, line = fig.data
    assert (bars.type, list(bars.y), bars.name) == ("bar", [5, 2], "Новые на вебинаре")
    assert (line.type, list(line.y), line.name) == ("scatter", [5, 7], "Всего уникальных")
    assert fig.layout.yaxis.title.text == "Участники, чел."
    assert fig.layout.xaxis.title.text == "Дата вебинара"
    # one column per webinar, labelled by date; a click selects the webinar by its key
    assert (fig.layout.xaxis.type, list(bars.x), [c[1] for c in bars.customdata]) == ("category", ["01.10", "08.10"],
                                                                                       ["a", "b"])  # fmt: skip


def test_a_series_spanning_years_has_years_and_one_column_per_webinar():
    cumulative = pd.DataFrame({
        "event_key": ["a", "b", "c"], "event_date": pd.to_datetime(["2025-12-01", "2026-06-01", "2026-06-01"]),
        "title": ["A", "B", "C"], "new_participants": [1, 1, 1], "cumulative_participants": [1, 2, 3],
    })  # fmt: skip
    bars, _ = figures.cumulative_reach(cumulative, "en").data
    assert list(bars.x) == ["01.12.2025", "01.06.2026", "01.06.2026 (2)"]


WEBINARS = pd.DataFrame(
    {
        "event_date": pd.to_datetime(["2026-10-01", "2026-10-08", "2026-10-15"]),
        "title": ["A", "B", "C"],
        "platform": ["Zoom", "Яндекс Телемост", None],
        "registrants": [4, 2, 0],
        "participants": [3, 5, 0],
        "attendance_rate": [2 / 3, 0.0, None],
        "median_minutes": [47.56, None, None],
        "peak_concurrent": [2, 5, 0],
        "sources": [("zoom", "live", "checkin"), ("checkin",), ("planned",)],
    }
)


def test_webinar_table_is_translated_and_rounded():
    expected = pd.DataFrame(
        {
            "Date": ["01.10.2026", "08.10.2026", "15.10.2026"],
            "Webinar": ["A", "B", "C"],
            "Platform": ["Zoom", "Яндекс Телемост", None],
            "Registrants": [4, 2, 0],
            "Participants": [3, 5, 0],
            "Attendance, %": [66.7, 0.0, None],
            "Median, min": [47.6, None, None],
            "Peak concurrent": [2, 5, 0],
            "Source": ["Zoom file + live feed + check-in", "check-in", "planned, no data yet"],
        }
    )
    pd.testing.assert_frame_equal(figures.webinar_table(WEBINARS, "en"), expected, check_dtype=False)


def test_webinar_sources_in_russian():
    sources = [("webex",), ("mts-link", "sheet"), ("bbb",), ("file",), ("mts-link-api",), ("registrations",)]
    webinars = WEBINARS.iloc[[0] * len(sources)].assign(sources=sources)
    table = figures.webinar_table(webinars, "ru")
    assert table["Источник"].tolist() == [
        "файл Webex", "файл МТС Линк + таблица посещений", "файл BigBlueButton", "импортированный файл", "API МТС Линк",
        "только регистрации"]  # fmt: skip


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_figures_have_titles_and_hover_text(lang):
    for fig in (figures.country_bars(BY_COUNTRY, COUNTRIES, lang), figures.country_map(BY_COUNTRY, COUNTRIES, lang)):
        assert fig.layout.title.text
        assert all(tr.hovertemplate for tr in fig.data)


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_every_figure_is_valid_plotly(lang):
    """Builders skip plotly's validation for speed; here every figure is validated in full."""
    cumulative = pd.DataFrame(
        {
            "event_key": ["a"],
            "event_date": pd.to_datetime(["2026-10-01"]),
            "title": ["A"],
            "new_participants": [5],
            "cumulative_participants": [5],
        }
    )
    by_role = pd.DataFrame({"role": ["executive"], "participants": [5]})
    built = [
        figures.country_bars(BY_COUNTRY, COUNTRIES, lang),
        figures.country_map(BY_COUNTRY, COUNTRIES, lang),
        figures.role_bars(by_role, ROLES, lang),
        figures.cumulative_reach(cumulative, lang),
    ]
    for fig in built:
        go.Figure(fig.to_dict())  # raises ValueError on any invalid property


def test_a_long_tail_of_countries_folds_into_one_bar():
    by_country = pd.DataFrame(
        {
            "country": ["US", "GB", "RU", "CA", "unknown", "KZ", "SI"],
            "stage": pd.array([None, None, 1, None, None, 1, None], dtype="Int64"),
            "participants": [30, 9, 8, 5, 4, 2, 1],
        }
    )
    folded = figures.fold_long_tail(by_country, COUNTRIES, limit=5)
    # RU, KZ and unknown keep their bars; US is the one other country with room; GB, CA, SI fold (9+5+1)
    assert folded["country"].tolist() == ["US", "RU", "unknown", "KZ", "other_countries"]
    assert folded["participants"].tolist() == [30, 8, 4, 2, 15]
    assert [None if pd.isna(v) else int(v) for v in folded["stage"]] == [None, 1, None, 1, None]


def test_country_bars_label_the_folded_bar():
    others = ["US", "GB", "CA", "DE", "FR", "IN", "ES", "IT", "NL", "PL", "PT", "SE", "NO", "FI", "DK", "CZ", "SI"]
    by_country = pd.DataFrame(
        {
            "country": ["RU", *others],
            "stage": pd.array([1] + [None] * len(others), dtype="Int64"),
            "participants": [50, *range(len(others), 0, -1)],
        }
    )
    fig = figures.country_bars(by_country, COUNTRIES, "ru")
    names = [name for tr in fig.data for name in tr.y]
    assert len(names) == 15  # Russia, 13 other countries, and the folded bar
    assert names[-1] == "Другие страны (4)"  # the four smallest: FI, DK, CZ, SI


@pytest.mark.parametrize("contrast", [False, True])
def test_projector_figures_are_valid_larger_and_sized(contrast):
    by_role = pd.DataFrame({"role": ["executive", "student"], "participants": [5, 3]})
    for built in (figures.country_map(BY_COUNTRY, COUNTRIES, "ru"), figures.role_bars(by_role, ROLES, "ru")):
        fig = figures.for_projector(built, 580, contrast)
        go.Figure(fig.to_dict())  # every property valid
        assert (fig.layout.height, fig.layout.font.size, fig.layout.title.font.size) == (580, 20, 26)
        assert fig.layout.font.color == ("#ffffff" if contrast else figures.FONT["color"])
        assert built.layout.height != 580  # the builder's own figure is left as it was


def test_high_contrast_map_and_bars_are_yellow_and_white_on_black():
    by_role = pd.DataFrame({"role": ["executive", "student"], "participants": [5, 3]})
    bars = figures.for_projector(figures.role_bars(by_role, ROLES, "en"), 580, True)
    assert (bars.layout.paper_bgcolor, bars.layout.plot_bgcolor) == ("#000000", "#000000")
    assert (bars.data[0].marker.color, bars.data[0].textfont.color) == ("#ffd400", "#ffffff")
    assert (bars.layout.yaxis.color, bars.layout.xaxis.showticklabels) == ("#ffffff", False)
    world = figures.for_projector(figures.country_map(BY_COUNTRY, COUNTRIES, "en"), 580, True)
    geo = world.layout.geo
    colours = (geo.bgcolor, geo.landcolor, geo.oceancolor, geo.countrycolor)
    assert colours == ("#000000", "#262626", "#000000", "#8c8c8c")
    (trace,) = world.data
    assert [list(step) for step in trace.colorscale] == [[0.0, "#4d4000"], [0.35, "#a68a00"], [1.0, "#ffd400"]]
    assert (trace.colorbar.orientation, trace.colorbar.tickfont.color) == ("h", "#ffffff")


# --- the map's shapes, cut to the region the map shows (dashboard/map_shapes.py) --------------------

# A hand-made topology, unit scale: arc 0 runs along y = 10 (x 0…10), arc 1 closes that ring
# back through (0, 20); arc 2 is a far-away ring at x 100…110; arc 3 a ring around (50, 50).
TINY = {
    "type": "Topology",
    "transform": {"scale": [1, 1], "translate": [0, 0]},
    "arcs": [[[0, 10], [10, 0]], [[10, 10], [-10, 10], [0, -10]], [[100, 0], [10, 0], [-10, 5]], [[50, 50], [1, 1]]],
    "objects": {
        "countries": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "id": "AAA", "arcs": [[0, 1]]},
            {"type": "Polygon", "id": "FAR", "arcs": [[2]]},
            {"type": "MultiPolygon", "id": "TWO", "arcs": [[[2]], [[~3]]]},
        ]},
        "land": {"type": "GeometryCollection", "geometries": [{"type": "Polygon", "arcs": [[2]]}]},
        "lakes": {"type": "GeometryCollection", "geometries": []},
        "coastlines": {"type": "GeometryCollection", "geometries": [{"type": "LineString", "arcs": [~1]}]},
        "ocean": {"type": "GeometryCollection", "geometries": [{"type": "Polygon", "arcs": [[0, 1, 2]]}]},
        "rivers": {"type": "GeometryCollection", "geometries": []},
        "subunits": {"type": "GeometryCollection", "geometries": []},
    },
}  # fmt: skip


def test_map_shapes_keep_what_reaches_the_region_and_renumber_the_arcs():
    from dashboard.map_shapes import clip

    clipped = clip(TINY, (0, 0, 60, 60))
    empty = {"type": "GeometryCollection", "geometries": []}
    assert clipped == {
        "type": "Topology",
        "transform": {"scale": [1, 1], "translate": [0, 0]},
        "bbox": [0, 0, 60, 60],
        # arcs 0, 1 and 3 are used by what is kept; arc 3 becomes arc 2
        "arcs": [[[0, 10], [10, 0]], [[10, 10], [-10, 10], [0, -10]], [[50, 50], [1, 1]]],
        "objects": {
            "countries": {"type": "GeometryCollection", "geometries": [
                {"type": "Polygon", "id": "AAA", "arcs": [[0, 1]]},
                {"type": "MultiPolygon", "id": "TWO", "arcs": [[[~2]]]},  # its far part is dropped
            ]},
            "land": empty,  # the only land is far away
            "lakes": empty,
            "coastlines": {"type": "GeometryCollection", "geometries": [{"type": "LineString", "arcs": [~1]}]},
            "ocean": empty, "rivers": empty, "subunits": empty,  # never drawn by the CIS map
        },
    }  # fmt: skip


def test_the_served_map_shapes_are_the_world_cut_to_the_region_with_every_cis_state():
    import json

    from dashboard import map_shapes

    world = json.loads(map_shapes.WORLD.read_text(encoding="utf-8"))
    served = json.loads(map_shapes.SERVED.read_text(encoding="utf-8"))
    assert served == map_shapes.clip(world)  # regenerated: python -m dashboard.map_shapes
    ids = {g.get("id") for g in served["objects"]["countries"]["geometries"]}
    cis = set(COUNTRIES.loc[COUNTRIES["cis_status"].notna(), "iso3"])
    assert len(cis) >= 10 and cis <= ids
    assert len(json.dumps(served)) < len(json.dumps(world)) / 2


def test_the_region_of_the_map_shapes_holds_the_maps_frame():
    """map_shapes.REGION was measured for this frame (lon −24.5…174.5, lat 7…90 in the browser):
    a change of the map's view needs the shapes cut again."""
    from dashboard.map_shapes import REGION

    geo = figures.country_map(BY_COUNTRY, COUNTRIES, "en").layout.geo
    assert (list(geo.lonaxis.range), list(geo.lataxis.range), geo.projection.type, geo.projection.rotation.lon,
            list(geo.projection.parallels)) == ([25, 180], [33, 80], "conic equal area", 75, [45, 65])  # fmt: skip
    assert REGION == (-30.0, 0.0, 180.0, 90.0)
