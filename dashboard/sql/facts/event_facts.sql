-- Webinars with their date in the programme's time zone and their slot: 0, 1, … in order of
-- start. Slots index the per-person bitstrings of person_facts. Always rebuilt whole.
select event_id, event_key, series, title, starts_at, platform, programme_date(starts_at) as event_date, is_rehearsal,
    cast(row_number() over (order by starts_at, event_id) - 1 as integer) as slot
from events
