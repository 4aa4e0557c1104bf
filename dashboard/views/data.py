"""Data (analysts): import exports and sheets with a preview, the import log, data quality."""

import json

import pandas as pd
import streamlit as st

from dashboard import database, planning, queries, settings, ui, writes
from dashboard.filters import ALL
from dashboard.i18n import t
from dashboard.imports import mts_link_api, review
from dashboard.imports.loader import analyse, import_file
from dashboard.imports.normalise import ROLE_CODES
from dashboard.imports.parsing import header_signature, mappable_fields
from dashboard.imports.problems import FileRejected
from dashboard.spreadsheet_safety import formula_safe

ZONES = ("Asia/Yekaterinburg", "Europe/Moscow", "Asia/Almaty", "Europe/Minsk", "Asia/Yerevan", "Asia/Bishkek",
         "Asia/Tashkent", "Asia/Baku", "Asia/Dushanbe", "Europe/Chisinau", "Asia/Ashgabat", "UTC")  # fmt: skip

db = ui.database_owner()
con = db.con
lang = ui.language()
st.query_params.from_dict({"lang": lang} if lang != "ru" else {})
st.title(t("data_title", lang))
programme_zone = database.programme_setting(con, "timezone") or "UTC"
tab_import, tab_webinars, tab_quality, tab_log = st.tabs(
    [t("tab_import", lang), t("tab_webinars", lang), t("tab_quality", lang), t("tab_log", lang)]
)


def saved_mapping(headers_signature: str) -> dict | None:
    rows = con.execute("select mapping from column_mappings where signature = $s", {"s": headers_signature}).fetchall()
    return json.loads(rows[0][0]) if rows else None


def mapping_editor(name: str, parsed, signature: str) -> dict | None:
    """Selectboxes to map any column of any format to a field (a platform's report: who the
    person is and what they said of themselves); saved per header signature."""
    fields = mappable_fields(parsed.format)
    options = [None, *parsed.mapping.values(), *parsed.extra_headers]
    options = list(dict.fromkeys(options))
    columns = {}
    for field in fields:
        current = parsed.mapping.get(field)
        choice = st.selectbox(t(f"field_{field}", lang), options, index=options.index(current) if current in options else 0,
                              key=f"map-{name}-{field}", format_func=lambda h: h or t("not_mapped", lang))  # fmt: skip
        if choice or current:  # None takes a wrongly recognised column away
            columns[field] = choice
    # a sheet, or a report whose webinar comes from outside its rows (BigBlueButton: the file name)
    titled = parsed.format in ("sheet", "bbb", "mts-link")
    title = st.text_input(t("event_title_input", lang), key=f"title-{name}") if titled else ""
    mapping = {"columns": columns, **({"event_title": title} if title else {})}
    if st.button(t("save_mapping", lang), key=f"save-{name}"):
        with db.write(facts=False) as cursor:
            writes.save_column_mapping(cursor, signature, mapping)
        ui.audit("column-mapping", f"{name}: {len(mapping['columns'])} columns")
        st.success(t("mapping_saved", lang))
    changed = any(columns.get(f) != parsed.mapping.get(f) for f in fields) or title
    return mapping if changed else None


def preview(upload, zone: str, skip: bool):
    """What the file holds, before anything is written; returns the mapping to import with."""
    data = upload.getvalue()
    try:
        parsed = analyse(data, zone, file_name=upload.name)
    except FileRejected as rejected:
        for problem in rejected.problems:
            st.error(problem.text(upload.name, lang))
        return None, False
    signature = header_signature(parsed)
    mapping = saved_mapping(signature)
    if mapping:
        try:
            parsed = analyse(data, zone, mapping, file_name=upload.name)
        except FileRejected as rejected:
            st.error(rejected.problems[0].text(upload.name, lang))
            return None, False
    cols = st.columns(4)
    cols[0].metric(t("preview_format", lang), parsed.format)
    cols[1].metric(t("preview_encoding", lang), parsed.encoding)
    cols[2].metric(t("preview_rows", lang), parsed.rows_read)
    cols[3].metric(t("preview_records", lang), len(parsed))
    st.caption(t("preview_events", lang) + ": " + "; ".join(e.title or "—" for e in parsed.events))
    st.markdown("**" + t("preview_mapping", lang) + "**")
    st.dataframe(formula_safe(pd.DataFrame({t("field", lang): [t(f"field_{f}", lang) for f in parsed.mapping],
                               t("column", lang): list(parsed.mapping.values())})),
                 hide_index=True)  # fmt: skip
    if parsed.extra_headers:
        st.caption(t("preview_unused", lang) + ": " + ", ".join(parsed.extra_headers))
    with st.expander(t("preview_mapping", lang) + " ✎"):  # any format: a column under another name can be mapped
        override = mapping_editor(upload.name, parsed, signature)
    if override:
        mapping = override
        try:
            parsed = analyse(data, zone, mapping, file_name=upload.name)
        except FileRejected as rejected:
            st.error(rejected.problems[0].text(upload.name, lang))
            return None, False
    if parsed.problems:
        with st.expander(t("problems", lang, n=len(parsed.problems)), expanded=True):
            st.code("\n".join(p.text(upload.name, lang) for p in parsed.problems[:200]), language=None)
        st.warning(t("ready", lang) if skip else t("will_reject", lang))
    else:
        st.success(t("ready", lang))
    return mapping, True


with tab_import:
    uploads = st.file_uploader(t("upload", lang), accept_multiple_files=True, help=t("upload_help", lang),
                               type=["csv", "txt", "tsv", "xlsx", "xls", "json"])  # fmt: skip
    left, right = st.columns(2)
    zones = [programme_zone, *[z for z in ZONES if z != programme_zone]]
    zone = left.selectbox(t("timezone", lang), zones)
    skip = right.checkbox(t("skip_bad_rows", lang))
    plans = []
    for upload in uploads or []:
        with st.container(border=True):
            st.subheader(upload.name)
            mapping, ok = preview(upload, zone, skip)
            plans.append((upload, mapping, ok))
    if plans and st.button(t("import_button", lang), type="primary"):
        for upload, mapping, _ in plans:
            result = import_file(con, upload.getvalue(), upload.name, zone=zone, mapping=mapping, skip_bad_rows=skip)
            ui.audit("import", f"{upload.name}: {result.status}, {result.records} records")
            show = st.success if result.status == "imported" else st.info if result.status == "unchanged" else st.error
            show(result.summary(lang))

def quality_figures() -> None:
    """How records merged into persons, and how many participants lack a country or a role:
    figures that add up and agree with the overview (queries/data_quality.sql)."""
    q = queries.run(con, "data_quality", ALL).iloc[0].astype(int)
    cards = st.columns(3)
    cards[0].metric(t("merge_rate", lang), t("merge_rate_value", lang, records=q["records"], persons=q["persons"]),
                    help=t("merge_rate_help", lang), border=True)  # fmt: skip
    cards[1].metric(t("unknown_country_persons", lang), t("of_participants", lang, n=q["unknown_country"],
                    total=q["participants"]), border=True)  # fmt: skip
    cards[2].metric(t("unknown_role_persons", lang), t("of_participants", lang, n=q["unknown_role"],
                    total=q["participants"]), border=True)  # fmt: skip
    st.caption(t("merge_split", lang, persons=q["persons"], attended=q["attended"], registered=q["registered_only"],
                 staff=q["staff_only"]))  # fmt: skip
    return q


with tab_quality:
    quality = quality_figures()
    countries = queries.run(con, "countries", ALL)
    st.subheader(t("unmatched_countries", lang))
    unmatched = review.unmatched_countries(con)
    if unmatched.empty:
        st.caption(t("no_unmatched_texts", lang) if quality["unknown_country"] == 0
                   else t("unknown_without_text", lang, n=quality["unknown_country"], what=t("country", lang).lower()))  # fmt: skip
    else:
        codes = [None, *countries["iso2"]]
        names = dict(zip(countries["iso2"], countries[f"name_{lang}"], strict=True))
        edited = st.data_editor(
            formula_safe(unmatched.assign(map_to=None)), hide_index=True, key="countries-editor", disabled=["country_raw", "rows", "persons"],
            column_config={"country_raw": t("raw_value", lang), "rows": t("rows", lang), "persons": t("persons", lang),
                           "map_to": st.column_config.SelectboxColumn(t("map_to", lang), options=codes[1:])},
        )  # fmt: skip
        chosen = edited.dropna(subset=["map_to"])
        if st.button(t("apply", lang), key="apply-countries", disabled=chosen.empty):
            raw = unmatched["country_raw"]  # as stored: the editor shows formula-like texts inert
            for row in chosen.itertuples():
                review.save_country(con, raw[row.Index], row.map_to)
            ui.audit("mapping", f"{len(chosen)} country texts")
            st.success(t("applied", lang, n=len(chosen)) + ": " + ", ".join(f"{r.country_raw} → {names.get(r.map_to)}"
                                                                            for r in chosen.itertuples()))  # fmt: skip
    st.subheader(t("unmatched_roles", lang))
    roles_unmatched = review.unmatched_roles(con)
    if roles_unmatched.empty:
        st.caption(t("no_unmatched_texts", lang) if quality["unknown_role"] == 0
                   else t("unknown_without_text", lang, n=quality["unknown_role"], what=t("role", lang).lower()))  # fmt: skip
    else:
        edited = st.data_editor(
            formula_safe(roles_unmatched[["role_raw", "rows", "persons"]].assign(map_to=None)), hide_index=True,
            key="roles-editor",
            disabled=["role_raw", "rows", "persons"],
            column_config={"role_raw": t("raw_value", lang), "rows": t("rows", lang), "persons": t("persons", lang),
                           "map_to": st.column_config.SelectboxColumn(t("map_to", lang), options=list(ROLE_CODES))},
        )  # fmt: skip
        chosen = edited.dropna(subset=["map_to"])
        if st.button(t("apply", lang), key="apply-roles", disabled=chosen.empty):
            raw = roles_unmatched["role_raw"]
            for row in chosen.itertuples():
                review.save_role(con, raw[row.Index], row.map_to)
            ui.audit("mapping", f"{len(chosen)} occupation texts")
            st.success(t("applied", lang, n=len(chosen)))
    st.subheader(t("platform_vs_ours", lang))
    stated = queries.run(con, "platform_figures", ALL)
    if not stated.empty:
        ours = queries.run(con, "webinar_figures", ALL).set_index("event_key")
        peaks = queries.run(con, "webinar_peaks", ALL).set_index("event_key")["peak_concurrent"]
        st.dataframe(formula_safe(pd.DataFrame({
            t("col_title", lang): stated["title"],
            t("stated_registered", lang): stated["registered"],
            t("ours_registrants", lang): stated["event_key"].map(ours["registrants"]),
            t("stated_unique", lang): stated["unique_viewers"],
            t("ours_participants", lang): stated["event_key"].map(ours["participants"]),
            t("stated_peak", lang): stated["max_concurrent"],
            t("ours_peak", lang): stated["event_key"].map(peaks),
        })), hide_index=True)  # fmt: skip
        st.caption(t("platform_note", lang))

def plan_form() -> None:
    """A webinar planned ahead, for a platform with no attendance export (dashboard/planning.py)."""
    st.subheader(t("plan_title", lang))
    st.caption(t("plan_help", lang))
    with st.form("plan-webinar", clear_on_submit=False):
        title = st.text_input(t("plan_field_title", lang), max_chars=planning.MAX_TITLE)
        left, middle, right = st.columns(3)
        day = left.date_input(t("plan_field_date", lang), format="DD.MM.YYYY")
        at = middle.time_input(t("plan_field_time", lang), value=None, step=300)
        minutes = right.number_input(t("plan_field_minutes", lang), min_value=1, max_value=1440, value=90, step=5)
        left, right = st.columns(2)
        platform = left.selectbox(t("plan_field_platform", lang), planning.PLATFORMS,
                                  index=planning.PLATFORMS.index("telemost"),
                                  format_func=lambda code: t(f"platform_{code}", lang))  # fmt: skip
        series = right.text_input(t("plan_field_series", lang), max_chars=planning.MAX_SERIES)
        if not st.form_submit_button(t("plan_button", lang), type="primary"):
            return
    if not day or not at:
        st.error(t("plan_field_start", lang) + ": " + t("plan_no_start", lang))
        return
    plan = planning.Plan(title, f"{day:%Y-%m-%d} {at:%H:%M}", int(minutes), platform, series)
    try:
        with db.write() as cursor:
            key = planning.plan_webinar(cursor, plan, programme_zone)
            database.refresh(cursor)
    except planning.PlanProblem as problem:
        st.error(t(f"plan_field_{problem.field}", lang) + ": " + t(f"plan_{problem.code}", lang, **problem.values))
        return
    ui.audit("webinar-planned", key)
    st.success(t("plan_done", lang, event_key=key, title=" ".join(title.split())))


def pull_form() -> None:
    """MTS Link's API: a period's sessions, connections and registrations, imported all or nothing."""
    st.subheader(t("pull_title", lang))
    token = settings.mtslink_token()
    if not token:
        st.info(t("pull_no_token", lang), icon=":material/key:")
        return
    with st.form("pull-mts-link"):
        left, middle, right = st.columns(3)
        start = left.date_input(t("pull_from", lang), format="DD.MM.YYYY", value=None)
        end = middle.date_input(t("pull_to", lang), format="DD.MM.YYYY", value=None)
        event = right.text_input(t("pull_event", lang), max_chars=20)
        if not st.form_submit_button(t("pull_button", lang), type="primary"):
            return
    event = event.strip() or None
    if start is None or end is None or end < start or (end - start).days > 366 or (event and not event.isdigit()):
        st.error(t("pull_bad_period", lang))
        return
    period = mts_link_api.Period(start, end, event)
    try:
        with st.spinner(t("pull_running", lang)):
            data = mts_link_api.pull(mts_link_api.Client(token, settings.mtslink_url()), period)
    except mts_link_api.PullFailed as failed:
        st.error(t("pull_failed", lang) + " " + str(failed))
        return
    result = import_file(con, data, mts_link_api.file_name(period), zone=programme_zone)
    ui.audit("pull", f"{result.file_name}: {result.status}, {result.records} records")
    show = st.success if result.status == "imported" else st.info if result.status == "unchanged" else st.error
    show(result.summary(lang))


def removal_form(log: pd.DataFrame) -> None:
    """Undo: remove an imported file with everything only it brought (dashboard/writes.py)."""
    choices = dict(zip(log["import_id"], log["file_name"] + " · " + log["imported_at"].astype(str).str[:16], strict=True))
    with st.expander(t("remove_import", lang)):
        chosen = st.selectbox(t("remove_which", lang), list(choices), format_func=choices.get, key="remove-import")
        st.caption(t("remove_explain", lang))
        if not st.button(t("remove_confirm", lang), key="remove-import-go"):
            return
        with db.write() as cursor:
            removed = writes.remove_import(cursor, int(chosen))
            writes.refresh_after_removal(cursor)
        ui.audit("remove-import", f"{choices[chosen]}: {removed.rows} rows")
        st.success(t("removed", lang, file=choices[chosen], rows=removed.rows, persons=removed.persons,
                     webinars=removed.webinars))  # fmt: skip


with tab_webinars:
    plan_form()
    st.divider()
    pull_form()

with tab_log:
    log = queries.run(con, "import_log", ALL)
    if log.empty:
        st.caption(t("no_imports", lang))
    else:
        labels = {"imported_at": "col_imported_at", "file_name": "col_file", "format": "col_format",
                  "encoding": "col_encoding", "rows_read": "col_rows", "records": "col_records",
                  "persons": "col_persons", "new_persons": "col_new", "events": "col_events",
                  "skipped_rows": "col_skipped", "seconds": "col_seconds", "content_sha256": "col_hash"}  # fmt: skip
        st.dataframe(formula_safe(log[list(labels)].rename(columns={k: t(v, lang) for k, v in labels.items()})),
                     hide_index=True)  # fmt: skip
        removal_form(log)
