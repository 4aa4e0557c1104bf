-- Table and scalar macros over the derived facts, taking the filters described in filters.sql.
-- Which facts a question reads (stored totals, bitstrings, cells, or pairs) is decided once, by
-- dashboard/filters.py (Filters.params: $all_webinars, $from_pairs), never again here.
-- A rehearsal webinar holds only rehearsal persons (a real event or an import makes it real),
-- so the per-person facts leave rehearsal webinars out by leaving rehearsal persons out; only
-- the lists of webinars look at the webinar's own flag.

-- The selected webinars as a bitstring over slots ('1' = selected), as long as the persons'
-- attended/registered bitstrings (the free slots after the last webinar are '0'), to AND with
-- them. Null when the programme has no webinars.
create or replace macro selection_mask(f_events, f_series, f_date_from, f_date_to, f_rehearsals) as (
    select cast(rpad(string_agg(
        case when event_selected(event_key, series, event_date, is_rehearsal, f_events, f_series, f_date_from, f_date_to,
                                 f_rehearsals)
             then '1' else '0' end, '' order by slot),
        (select cast(value as integer) from programme where key = 'slot_capacity'), '0') as bit)
    from event_facts
);

-- Webinars in the selection (person filters never remove a webinar).
create or replace macro selected_events(f_events, f_series, f_date_from, f_date_to, f_rehearsals) as table
select *
from event_facts
where event_selected(event_key, series, event_date, is_rehearsal, f_events, f_series, f_date_from, f_date_to, f_rehearsals);

-- Registered or attended (person, webinar) pairs in the selection; is_attended applies min_minutes
-- (minutes that are not known, from check-ins only, pass no minimum above 0). Figures of minutes
-- read only the pairs whose minutes_known.
create or replace macro selected_pairs(f_countries, f_roles, f_events, f_series, f_date_from, f_date_to, f_stages, f_min_minutes, f_rehearsals) as table
select p.*,
    coalesce(p.minutes >= coalesce(f_min_minutes, 0) and (p.minutes_known or coalesce(f_min_minutes, 0) <= 0), false)
        as is_attended
from pair_facts p
where event_selected(p.event_key, p.series, p.event_date, false, f_events, f_series, f_date_from, f_date_to, f_rehearsals)
  and person_selected(p.country, p.role, p.stage, p.is_rehearsal, f_countries, f_roles, f_stages, f_rehearsals);

-- Pair counts per (webinar, country, role) in the selection (no minimum of minutes; the cells
-- hold no rehearsal persons, so figures that include rehearsals read pairs instead).
create or replace macro selected_event_cells(f_countries, f_roles, f_events, f_series, f_date_from, f_date_to, f_stages) as table
select c.*
from event_cell_facts c
where event_selected(c.event_key, c.series, c.event_date, false, f_events, f_series, f_date_from, f_date_to, false)
  and person_selected(c.country, c.role, c.stage, false, f_countries, f_roles, f_stages, false);

-- Participants per (webinar, country, role, first webinar attended) in the selection (no minimum
-- of minutes, no rehearsals): the stored cohorts.
create or replace macro selected_cohort_cells(f_countries, f_roles, f_events, f_series, f_date_from, f_date_to, f_stages) as table
select c.*
from cohort_cell_facts c
where event_selected(c.event_key, c.series, c.event_date, false, f_events, f_series, f_date_from, f_date_to, false)
  and person_selected(c.country, c.role, c.stage, false, f_countries, f_roles, f_stages, false);

-- Attended pairs per whole minute in the selection (no minimum of minutes, no rehearsals).
create or replace macro selected_minutes_histogram(f_countries, f_roles, f_events, f_series, f_date_from, f_date_to, f_stages) as table
select h.*
from minutes_histogram h
where event_selected(h.event_key, h.series, h.event_date, false, f_events, f_series, f_date_from, f_date_to, false)
  and person_selected(h.country, h.role, h.stage, false, f_countries, f_roles, f_stages, false);

-- Merged audience segments of attended pairs in the selection (min_minutes as in selected_pairs).
create or replace macro selected_segments(f_countries, f_roles, f_events, f_series, f_date_from, f_date_to, f_stages, f_min_minutes, f_rehearsals) as table
select s.*
from segment_facts s
where event_selected(s.event_key, s.series, s.event_date, false, f_events, f_series, f_date_from, f_date_to, f_rehearsals)
  and person_selected(s.country, s.role, s.stage, s.is_rehearsal, f_countries, f_roles, f_stages, f_rehearsals)
  and s.minutes >= coalesce(f_min_minutes, 0)
  and (s.minutes_known or coalesce(f_min_minutes, 0) <= 0);
