-- Question: for one webinar, how many audience persons are connected now and how many have
-- joined so far (from live events; a person is connected while their latest event is a join)?
-- Grain: one row.
-- Parameters: $event varchar (webinar key).
-- Columns: connected_now (persons), joined_total (persons), last_event_at (UTC, null without events).
with events_of_webinar as (
    select l.person_id, l.type, l.occurred_at
    from live_events l join events e using (event_id)
    where e.event_key = $event
),
latest as (
    select person_id, arg_max(type, (occurred_at, type = 'leave')) as last_type
    from events_of_webinar
    group by person_id
)
select
    (select count(*) from latest where last_type = 'join') as connected_now,
    (select count(distinct person_id) from events_of_webinar where type = 'join') as joined_total,
    (select max(occurred_at) from events_of_webinar) as last_event_at
