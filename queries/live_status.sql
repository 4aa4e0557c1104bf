-- Question: for one webinar, how many audience persons are connected now (from live events: a
-- person is connected while their latest live event is a join; at one instant a leave comes
-- before a join), and does it hold rehearsal data, real data, or both?
-- Persons whose facts the facts update has not reached yet are left out, so that read in one
-- transaction with the facts, "connected now" never exceeds the peak beside it.
-- Grain: one row.
-- Parameters: $event varchar (webinar key), $rehearsals boolean (count rehearsal persons).
-- Columns: connected_now (persons), has_rehearsal (the webinar holds rehearsal events),
--   has_real (imported rows, registrations or real live events), last_event_at (UTC, null without events).
with events_of_webinar as (
    select l.person_id, l.type, l.occurred_at, l.is_rehearsal
    from live_events l join events e using (event_id)
    where e.event_key = $event
),
latest as (
    select person_id, arg_max(type, (occurred_at, type = 'join')) as last_type
    from events_of_webinar
    where ($rehearsals or not is_rehearsal)
      and person_id not in (select person_id from facts_pending)
    group by person_id
)
select
    (select count(*) from latest where last_type = 'join') as connected_now,
    (select count(*) > 0 from events_of_webinar where is_rehearsal) as has_rehearsal,
    (select count(*) > 0 from events_of_webinar where not is_rehearsal)
        or exists (select 1 from attendance a join events e using (event_id) where e.event_key = $event)
        or exists (select 1 from registrations r join events e using (event_id) where e.event_key = $event)
        as has_real,
    (select max(occurred_at) from events_of_webinar) as last_event_at
