"""Small-cell suppression for viewers (REACH_MIN_CELL): hand-worked tables, figures that never
carry a hidden count, and the selection guard."""

import pandas as pd

from dashboard import figures, suppression
from dashboard.reach import Overview
from tests.test_figures import COUNTRIES, ROLES


def matrix(cells: dict[tuple[str, str], int]) -> pd.DataFrame:
    return pd.DataFrame({"country": [k[0] for k in cells], "role": [k[1] for k in cells],
                         "participants": list(cells.values())})  # fmt: skip


# Worked by hand, k = 5:
#            student  scientist | country
#   AM          2        10     |   12
#   BY          8         9     |   17
#   KZ         20         —     |   20
#   role       30        19     |   49 participants
# AM/student (2) is below 5. Row AM would give it away (12 − 10): hide AM/scientist (10, the
# smallest shown). Column student (30 − 8 − 20) would too: hide BY/student (8). Column scientist
# now has AM/scientist alone hidden (19 − 9): hide BY/scientist (9). Row BY then holds two hidden,
# the totals none: done.
FIRST = {("AM", "student"): 2, ("AM", "scientist"): 10, ("BY", "student"): 8, ("BY", "scientist"): 9,
         ("KZ", "student"): 20}  # fmt: skip


def test_a_small_cell_and_the_cells_that_would_give_it_away_are_hidden():
    hidden = suppression.hidden_figures(matrix(FIRST), 5)
    assert hidden == suppression.Hidden(
        threshold=5,
        cells=frozenset({("AM", "student"), ("AM", "scientist"), ("BY", "student"), ("BY", "scientist")}),
        countries=frozenset(),
        roles=frozenset(),
        small=frozenset({("cell", "AM", "student")}),
    )


# Worked by hand, k = 5:
#            student  scientist | country
#   AM          2         —     |    2   (below 5)
#   BY          6         4     |   10
#   KZ         20         —     |   20
#   role       28         4     |   32 participants
# Below 5: AM/student, AM's total, BY/scientist, scientist's total. Row BY (10 − 6): hide BY/student.
# Countries (32 − 10 − 20 gives AM): hide BY's total (10). Roles (32 − 28 gives scientist): hide
# student's total (28). Nothing else has a single hidden member.
SECOND = {("AM", "student"): 2, ("BY", "student"): 6, ("BY", "scientist"): 4, ("KZ", "student"): 20}


def test_totals_that_would_give_a_small_total_away_are_hidden_too():
    hidden = suppression.hidden_figures(matrix(SECOND), 5)
    assert hidden == suppression.Hidden(
        threshold=5,
        cells=frozenset({("AM", "student"), ("BY", "scientist"), ("BY", "student")}),
        countries=frozenset({"AM", "BY"}),
        roles=frozenset({"student", "scientist"}),
        small=frozenset(
            {("cell", "AM", "student"), ("country", "AM"), ("cell", "BY", "scientist"), ("role", "scientist")}
        ),  # fmt: skip
    )


def test_nothing_is_hidden_when_every_count_reaches_the_threshold():
    hidden = suppression.hidden_figures(matrix({("AM", "student"): 5, ("BY", "student"): 7}), 5)
    assert (hidden.cells, hidden.countries, hidden.roles, hidden.any) == (frozenset(), frozenset(), frozenset(), False)


def overview_of(cells: dict) -> Overview:
    m = matrix(cells)
    by_country = (
        m.groupby("country", as_index=False)["participants"]
        .sum()
        .sort_values(["participants", "country"], ascending=[False, True], ignore_index=True)
    )
    by_country.insert(1, "stage", pd.array([1] * len(by_country), dtype="Int64"))
    by_role = m.groupby("role", as_index=False)["participants"].sum()
    return Overview(kpis={"participants": int(m["participants"].sum())}, matrix=m, by_country=by_country,
                    by_role=by_role, stage_coverage=pd.DataFrame(), cumulative=pd.DataFrame(),
                    webinars=pd.DataFrame())  # fmt: skip


def test_a_viewer_s_tables_carry_no_hidden_count_and_hidden_rows_come_last():
    masked, _ = suppression.for_viewer(overview_of(SECOND), 5)
    assert masked.by_country.to_dict("records") == [
        {"country": "KZ", "stage": 1, "participants": 20, "hidden": False, "small": False},
        {"country": "AM", "stage": 1, "participants": 0, "hidden": True, "small": True},
        {"country": "BY", "stage": 1, "participants": 0, "hidden": True, "small": False},
    ]
    assert masked.by_role.to_dict("records") == [
        {"role": "scientist", "participants": 0, "hidden": True, "small": True},
        {"role": "student", "participants": 0, "hidden": True, "small": False},
    ]
    assert masked.matrix["participants"].tolist() == [0, 0, 0, 20]


def test_figures_show_below_k_or_hidden_and_never_the_number():
    masked, _ = suppression.for_viewer(overview_of(SECOND), 5)
    bars = figures.country_bars(masked.by_country, COUNTRIES, "en", 5)
    assert [(list(tr.y), list(tr.text)) for tr in bars.data] == [
        (["Kazakhstan", "Armenia", "Belarus"], ["20", "< 5", "hidden"])
    ]
    roles = figures.role_bars(masked.by_role, ROLES, "ru", 5)
    assert list(roles.data[0].text) == ["< 5", "скрыто"]
    world = figures.country_map(masked.by_country, COUNTRIES, "en", 5)
    assert [list(tr.locations) for tr in world.data] == [["KAZ"], ["ARM", "BLR"]]
    assert [list(c) for c in world.data[1].customdata] == [["&lt; 5 persons", "AM"], ["hidden", "BY"]]
    # every number the traces carry: the shown count (20) and zero-length bars, nothing hidden
    carried = {str(v) for figure in (bars, roles, world) for trace in figure.data
               for field in ("x", "z", "text", "customdata") for v in (getattr(trace, field, None) or ())
               for v in (v if isinstance(v, tuple | list) else (v,))}  # fmt: skip
    assert carried == {
        "20",
        "0",
        "1",
        "< 5",
        "hidden",
        "скрыто",
        "&lt; 5 persons",
        str(20**0.5),
        "Kazakhstan",
        "Armenia",
        "Belarus",
        *("KZ", "AM", "BY", "scientist", "student"),  # codes: what a click selects
    }  # the map's hover names


def test_a_selection_below_the_threshold_is_not_shown_at_all():
    assert [suppression.selection_too_small(n, 5) for n in (0, 1, 4, 5, 300)] == [False, True, True, False, False]


def test_the_per_webinar_table_writes_small_counts_as_below_k():
    table = pd.DataFrame({"Participants": [0, 3, 12], "Peak": [0, 1, 9]})
    shown = suppression.small_counts_as_text(table, ["Participants", "Peak"], 5)
    assert shown.to_dict("list") == {"Participants": ["0", "< 5", "12"], "Peak": ["0", "< 5", "9"]}
