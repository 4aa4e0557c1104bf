"""Small-cell suppression for viewers (REACH_MIN_CELL, docs/metrics.md "Small cells").

A viewer sees participants per country, per role and per country × role cell. With a threshold
k, a count from 1 to k−1 shows as "< k" (primary suppression), and where the totals beside it
would let a reader work a hidden count back out, a second count is hidden too (secondary
suppression). The figures form one linked table:

    each country's total  = the sum of its row of cells
    each role's total     = the sum of its column of cells
    participants (public) = the sum of the country totals = the sum of the role totals

An equation with exactly one hidden member gives that member away, so while one exists the
smallest shown positive member of it is hidden as well. Hidden members only ever grow, so this
ends; zero cells are not members (nothing hides in an empty cell).

Pure functions: counts in, the set of hidden keys out. Nothing here sees a person.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

Key = tuple  # ("cell", country, role) | ("country", country) | ("role", role)


@dataclass(frozen=True)
class Hidden:
    """Which figures a viewer does not see as numbers."""

    threshold: int
    cells: frozenset  # (country, role)
    countries: frozenset
    roles: frozenset
    small: frozenset  # the members hidden because they are below k (the rest shield them)

    @property
    def any(self) -> bool:
        return bool(self.cells or self.countries or self.roles)


def _equations(cells: dict[tuple[str, str], int]) -> tuple[dict[Key, int], list[list[Key]]]:
    """The counts of the linked table and its equations (each a list of its members)."""
    values: dict[Key, int] = {}
    rows: dict[str, list[Key]] = {}
    columns: dict[str, list[Key]] = {}
    for (country, role), n in cells.items():
        if n <= 0:
            continue
        key = ("cell", country, role)
        values[key] = n
        values[("country", country)] = values.get(("country", country), 0) + n
        values[("role", role)] = values.get(("role", role), 0) + n
        rows.setdefault(country, []).append(key)
        columns.setdefault(role, []).append(key)
    equations = [[("country", c), *members] for c, members in rows.items()]
    equations += [[("role", r), *members] for r, members in columns.items()]
    equations.append([("country", c) for c in rows])  # against the public participants total
    equations.append([("role", r) for r in columns])
    return values, equations


def hidden_figures(matrix: pd.DataFrame, threshold: int) -> Hidden:
    """The figures to hide for a viewer, given the participants matrix (country, role,
    participants) of the selection and the threshold k (counts below k are hidden)."""
    cells = {
        (c, r): int(n)
        for c, r, n in zip(
            matrix["country"].tolist(), matrix["role"].tolist(), matrix["participants"].tolist(), strict=True
        )
    }
    values, equations = _equations(cells)
    hidden = {key for key, n in values.items() if n < threshold}
    small = frozenset(hidden)
    changed = True
    while changed:
        changed = False
        for members in equations:
            concealed = [m for m in members if m in hidden]
            if len(concealed) != 1:
                continue
            shown = [m for m in members if m not in hidden]
            if not shown:
                continue
            # the smallest shown member (ties: cells before totals, then by key) goes too
            hidden.add(min(shown, key=lambda m: (values[m], m[0] != "cell", m)))
            changed = True
    return Hidden(
        threshold=threshold,
        cells=frozenset((k[1], k[2]) for k in hidden if k[0] == "cell"),
        countries=frozenset(k[1] for k in hidden if k[0] == "country"),
        roles=frozenset(k[1] for k in hidden if k[0] == "role"),
        small=small,
    )


def below(value: int, threshold: int) -> bool:
    """Whether a single count of a viewer's screen is too small to show (1 … k−1)."""
    return 0 < value < threshold


def mask(
    table: pd.DataFrame, column: str, hidden: frozenset, small: frozenset, *, by_size: bool = True
) -> pd.DataFrame:
    """The table with `hidden` and `small` flags (hidden because below k, or to shield another)
    and the hidden rows' counts set to 0: the number never leaves the server. A table ordered by
    size puts its hidden rows last, ordered by `column`, so that their order hints at nothing."""
    flags = table[column].isin(hidden)
    out = table.assign(participants=table["participants"].where(~flags, 0), hidden=flags,
                       small=table[column].isin(small))  # fmt: skip
    if not by_size:
        return out.reset_index(drop=True)
    return pd.concat([out[~flags], out[flags].sort_values(column)], ignore_index=True)


def for_viewer(overview, threshold: int):
    """The overview as a viewer may see it: the matrix, by-country and by-role tables masked
    (dashboard/reach.Overview; the KPIs and the series are left as they are — the selection as a
    whole is guarded by `selection_too_small`)."""
    from dashboard.reach import Overview  # here: reach has no business knowing about viewers

    hidden = hidden_figures(overview.matrix, threshold)
    matrix = overview.matrix.assign(
        hidden=[
            (c, r) in hidden.cells for c, r in zip(overview.matrix["country"], overview.matrix["role"], strict=True)
        ]
    )
    matrix = matrix.assign(
        participants=matrix["participants"].where(~matrix["hidden"], 0),
        small=[("cell", c, r) in hidden.small for c, r in zip(matrix["country"], matrix["role"], strict=True)],
    )
    small_countries = frozenset(k[1] for k in hidden.small if k[0] == "country")
    small_roles = frozenset(k[1] for k in hidden.small if k[0] == "role")
    return Overview(
        kpis=overview.kpis,
        matrix=matrix,
        by_country=mask(overview.by_country, "country", hidden.countries, small_countries),
        by_role=mask(overview.by_role, "role", hidden.roles, small_roles, by_size=False),
        stage_coverage=overview.stage_coverage,
        cumulative=overview.cumulative,
        webinars=overview.webinars,
    ), hidden


def selection_too_small(participants: int, threshold: int) -> bool:
    """Whether a viewer's selection as a whole is below the threshold: its headline count would
    itself be a small cell (a country and a role chosen in the filters make the selection one
    cell), so none of its figures are shown."""
    return below(participants, threshold)


def small_counts_as_text(table: pd.DataFrame, columns: list[str], threshold: int) -> pd.DataFrame:
    """A display table with its counts from 1 to k−1 written "< k" (the per-webinar table)."""
    out = table.copy()
    for column in columns:
        out[column] = [f"< {threshold}" if below(int(v), threshold) else str(int(v)) for v in out[column]]
    return out
