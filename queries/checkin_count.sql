-- Question: how many check-ins does a webinar hold now? (The exact half of the check-in
-- ceiling; the audience half, checkin_room.sql, may be a few seconds old: dashboard/live/checkin.py.)
-- Check-ins: live events with an id 'checkin:<webinar key>:<session>', one per browser session.
-- Grain: one row (0 for a webinar that does not exist).
-- Parameters: $event varchar (webinar key).
-- Columns: checkins.
select count(*) as checkins
from live_events
where event_id in (select event_id from events where event_key = $event) and starts_with(id, 'checkin:')
