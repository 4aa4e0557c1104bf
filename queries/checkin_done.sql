-- Question: has this browser session already checked in to this webinar?
-- A check-in is stored as the live event with id 'checkin:<webinar key>:<session>'.
-- Grain: one row.
-- Parameters: $id varchar (the check-in's event id).
-- Columns: done (boolean).
select count(*) > 0 as done
from live_events
where id = $id
