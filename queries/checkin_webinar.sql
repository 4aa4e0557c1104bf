-- Question: which webinar does an audience check-in go to, and is its check-in open now?
-- Check-in is open from 60 minutes before the start to the planned end (start + 90 minutes
-- when no length is planned). Asked for a webinar ($event): that webinar, open or not. Not
-- asked ($event null): the open webinar that starts last, if any.
-- Grain: at most one row.
-- Parameters: $event varchar (webinar key, or null for the one open now), $now timestamp (UTC).
-- Columns: event_key, title, starts_at (UTC), closes_at (UTC), is_open.
with windows as (
    select event_key, title, starts_at,
        starts_at + to_minutes(coalesce(planned_minutes, 90)) as closes_at
    from events
)
select event_key, title, starts_at, closes_at,
    starts_at - interval 60 minute <= $now::timestamp and $now::timestamp < closes_at as is_open
from windows
where case when $event::varchar is null then is_open else event_key = $event end
order by starts_at desc
limit 1
