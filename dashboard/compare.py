"""Two selections side by side (the Compare page): every KPI, the role split and retention, with
the differences. Pure: two Overviews (and their retention) in, tables out."""

from __future__ import annotations

import pandas as pd

from dashboard.i18n import t
from dashboard.reach import Overview
from dashboard.retention import Retention

KPIS = ("participants", "registrants", "attendance_rate", "attendances", "events", "countries",
        "repeat_participants", "median_minutes", "minutes_total")  # fmt: skip
LABELS = {"participants": "participants", "registrants": "x_registrants", "attendance_rate": "attendance_rate",
          "attendances": "x_attendances", "events": "webinars", "countries": "x_countries",
          "repeat_participants": "repeat_participants", "median_minutes": "median_minutes",
          "minutes_total": "x_minutes_total"}  # fmt: skip


def _value(kpis: dict, name: str):
    value = kpis[name]
    if value is None:
        return None
    if name == "attendance_rate":
        return round(value * 100, 1)
    return round(float(value), 1) if name in ("median_minutes", "minutes_total") else int(value)


def kpi_table(a: Overview, b: Overview, lang: str) -> pd.DataFrame:
    """Each KPI for A and B and the difference B − A (a rate in percentage points)."""
    rows = []
    for name in KPIS:
        va, vb = _value(a.kpis, name), _value(b.kpis, name)
        diff = None if va is None or vb is None else round(vb - va, 1)
        label = t(LABELS[name], lang) + (", %" if name == "attendance_rate" else "")
        rows.append((label, va, vb, diff))
    return pd.DataFrame(rows, columns=[t("x_figure", lang), "A", "B", "B − A"], dtype=object)


def role_shares(a: Overview, b: Overview, roles: pd.DataFrame) -> pd.DataFrame:
    """Per role: participants and their share of the selection's participants, for A and B."""
    order = [r for r in roles["code"] if r in set(a.by_role["role"]) | set(b.by_role["role"])]
    counts = {side: dict(zip(o.by_role["role"], o.by_role["participants"], strict=True))
              for side, o in (("A", a), ("B", b))}  # fmt: skip
    totals = {"A": a.kpis["participants"] or 0, "B": b.kpis["participants"] or 0}
    return pd.DataFrame({
        "role": order,
        "A": [int(counts["A"].get(r, 0)) for r in order],
        "B": [int(counts["B"].get(r, 0)) for r in order],
        "share_A": [counts["A"].get(r, 0) / totals["A"] if totals["A"] else 0.0 for r in order],
        "share_B": [counts["B"].get(r, 0) / totals["B"] if totals["B"] else 0.0 for r in order],
    })  # fmt: skip


def retention_table(a: Retention, b: Retention, oa: Overview, ob: Overview, lang: str) -> pd.DataFrame:
    """Retention side by side: webinars per participant, the share who attended two or more, and
    the share of each webinar's participants who came back to a later one (over all webinars)."""

    def summary(r: Retention, o: Overview) -> tuple:
        persons = int(r.per_person["persons"].sum())
        mean = float((r.per_person["webinars"] * r.per_person["persons"]).sum() / persons) if persons else None
        repeat = o.kpis["repeat_participants"] / persons if persons else None
        attended = int(r.funnel["attended"].sum())
        back = int(r.funnel["came_back"].sum()) / attended if attended else None
        return (None if mean is None else round(mean, 2), None if repeat is None else round(repeat * 100, 1),
                None if back is None else round(back * 100, 1))  # fmt: skip

    sa, sb = summary(a, oa), summary(b, ob)
    labels = [t("cmp_mean_webinars", lang), t("cmp_repeat_share", lang), t("cmp_came_back", lang)]
    return pd.DataFrame({
        t("x_figure", lang): labels, "A": list(sa), "B": list(sb),
        "B − A": [None if x is None or y is None else round(y - x, 2) for x, y in zip(sa, sb, strict=True)],
    }, dtype=object)  # fmt: skip
