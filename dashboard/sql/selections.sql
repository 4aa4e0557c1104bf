-- Table and scalar macros over the derived facts, taking the filters described in filters.sql.

-- The selected webinars as a bitstring over slots ('1' = selected), to AND with a person's
-- attended/registered bitstrings. Null when the programme has no webinars.
create or replace macro selection_mask(f_events, f_series, f_date_from, f_date_to) as (
    select cast(string_agg(
        case when event_selected(event_key, series, event_date, f_events, f_series, f_date_from, f_date_to)
             then '1' else '0' end, '' order by slot) as bit)
    from event_facts
);

-- Webinars in the selection (person filters never remove a webinar).
create or replace macro selected_events(f_events, f_series, f_date_from, f_date_to) as table
select *
from event_facts
where event_selected(event_key, series, event_date, f_events, f_series, f_date_from, f_date_to);

-- Registered or attended (person, webinar) pairs in the selection; is_attended applies min_minutes.
create or replace macro selected_pairs(f_countries, f_roles, f_events, f_series, f_date_from, f_date_to, f_stages, f_min_minutes) as table
select *, coalesce(minutes >= coalesce(f_min_minutes, 0), false) as is_attended
from pair_facts
where event_selected(event_key, series, event_date, f_events, f_series, f_date_from, f_date_to)
  and person_selected(country, role, stage, f_countries, f_roles, f_stages);

-- Pair counts per (webinar, country, role) in the selection (no minimum of minutes).
create or replace macro selected_event_cells(f_countries, f_roles, f_events, f_series, f_date_from, f_date_to, f_stages) as table
select *
from event_cell_facts
where event_selected(event_key, series, event_date, f_events, f_series, f_date_from, f_date_to)
  and person_selected(country, role, stage, f_countries, f_roles, f_stages);

-- Attended pairs per whole minute in the selection (no minimum of minutes).
create or replace macro selected_minutes_histogram(f_countries, f_roles, f_events, f_series, f_date_from, f_date_to, f_stages) as table
select *
from minutes_histogram
where event_selected(event_key, series, event_date, f_events, f_series, f_date_from, f_date_to)
  and person_selected(country, role, stage, f_countries, f_roles, f_stages);

-- Merged audience segments of attended pairs in the selection.
create or replace macro selected_segments(f_countries, f_roles, f_events, f_series, f_date_from, f_date_to, f_stages, f_min_minutes) as table
select *
from segment_facts
where event_selected(event_key, series, event_date, f_events, f_series, f_date_from, f_date_to)
  and person_selected(country, role, stage, f_countries, f_roles, f_stages)
  and minutes >= coalesce(f_min_minutes, 0);
