-- Table macros over the derived facts, taking the filters described in filters.sql.

-- Registered or attended (person, event) pairs in the selection; is_attended applies min_minutes.
create or replace macro selected_person_event(f_countries, f_roles, f_events, f_series, f_date_from, f_date_to, f_stages, f_min_minutes) as table
select *, coalesce(minutes >= coalesce(f_min_minutes, 0), false) as is_attended
from person_event
where event_selected(event_id, series, event_date, f_events, f_series, f_date_from, f_date_to)
  and person_selected(country, role, stage, f_countries, f_roles, f_stages);

-- Merged audience segments of attended pairs in the selection.
create or replace macro selected_segments(f_countries, f_roles, f_events, f_series, f_date_from, f_date_to, f_stages, f_min_minutes) as table
select *
from segment_facts
where event_selected(event_id, series, event_date, f_events, f_series, f_date_from, f_date_to)
  and person_selected(country, role, stage, f_countries, f_roles, f_stages)
  and minutes >= coalesce(f_min_minutes, 0);

-- Events in the selection (person filters never remove a webinar).
create or replace macro selected_events(f_events, f_series, f_date_from, f_date_to) as table
select *
from (select *, programme_date(starts_at) as event_date from events)
where event_selected(event_id, series, event_date, f_events, f_series, f_date_from, f_date_to);
