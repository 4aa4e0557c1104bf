"""The KPI cards of the overview: labels, formatted values, deltas and help, per language."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.i18n import number, percent, signed, t
from dashboard.reach import Overview, kpi_deltas


@dataclass(frozen=True)
class Card:
    label: str
    value: str
    delta: str | None
    help: str


def cards(overview: Overview, cis_total: int, lang: str) -> list[Card]:
    """Six headline cards, then one card per programme stage's coverage."""
    k = overview.kpis
    d = kpi_deltas(overview.cumulative, overview.webinars)

    def new(n):
        return None if not n else t("delta_new", lang, n=number(n, lang))

    rate_delta = (
        None if d["attendance_rate"] is None else t("delta_pp", lang, v=signed(d["attendance_rate"] * 100, lang))
    )
    minutes_delta = None if d["median_minutes"] is None else t("delta_min", lang, v=signed(d["median_minutes"], lang))
    note = " " + t("delta_note", lang)
    result = [
        Card(
            t("participants", lang),
            number(k["participants"], lang),
            new(d["participants"]),
            t("participants_help", lang) + note,
        ),
        Card(
            t("cis_countries", lang),
            t("cis_countries_value", lang, n=k["cis_countries"], total=cis_total),
            new(d["countries"]),
            t("cis_countries_help", lang, all=k["countries"]) + note,
        ),
        Card(t("webinars", lang), number(k["events"], lang), None, ""),
        Card(
            t("attendance_rate", lang),
            percent(k["attendance_rate"], lang),
            rate_delta,
            t("attendance_rate_help", lang) + note,
        ),
        Card(t("repeat_participants", lang), number(k["repeat_participants"], lang), None, t("repeat_help", lang)),
        Card(
            t("median_minutes", lang),
            number(k["median_minutes"], lang),
            minutes_delta,
            t("median_minutes_help", lang) + note,
        ),
    ]
    for row in overview.stage_coverage.itertuples():
        result.append(
            Card(
                t("stage_coverage", lang, n=row.stage),
                t("stage_coverage_value", lang, reached=row.countries_reached, total=row.countries_in_stage),
                None,
                t("stage_coverage_help", lang),
            )
        )
    return result
