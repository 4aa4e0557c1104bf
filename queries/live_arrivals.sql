-- Question: who arrived last at one webinar — by country and role only, never by name?
-- Grain: one row per join event, the latest first, at most 12.
-- Parameters: $event varchar (webinar key).
-- Columns: joined_at (UTC), country (ISO alpha-2 or 'unknown'), role (role code).
select l.occurred_at as joined_at, coalesce(p.country, 'unknown') as country, p.role
from live_events l
join events e using (event_id)
join participants p using (person_id)
where e.event_key = $event and l.type = 'join'
order by l.occurred_at desc, l.id desc
limit 12
