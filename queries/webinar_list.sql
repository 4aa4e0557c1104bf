-- Question: which webinars and series does the programme hold, to choose from in filters?
-- Rehearsal webinars are not the programme's and are not listed.
-- Grain: one row per webinar, in order of start.
-- Parameters: none.
-- Columns: event_key, series, title, starts_at (UTC), event_date (programme zone).
select event_key, series, title, starts_at, programme_date(starts_at) as event_date
from events
where not is_rehearsal
order by starts_at, event_key
