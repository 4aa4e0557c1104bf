-- Question: which webinars can the live view show, the one running now first?
-- Running now: started and not yet past its planned end (90 minutes when none is planned).
-- Grain: one row per webinar, running ones first, then the latest start first.
-- Parameters: none.
-- Columns: event_key, title, starts_at (UTC), is_running.
select event_key, title, starts_at,
    starts_at <= now()::timestamp and now()::timestamp < starts_at + to_minutes(coalesce(planned_minutes, 90)) as is_running
from events
order by is_running desc, starts_at desc
