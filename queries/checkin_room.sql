-- Question: how large is a webinar's audience known from anything but check-ins, and how many
-- check-ins does it hold? (The check-in ceiling is max(floor, factor × audience): docs/api.md.)
-- Audience: distinct real persons who registered for the webinar, attended it in an imported
-- report (hosts and panelists left out) or joined it live, check-ins and rehearsals left out.
-- Check-ins: live events with an id 'checkin:<webinar key>:<session>', one per browser session.
-- Grain: one row (zeros for a webinar that does not exist).
-- Parameters: $event varchar (webinar key).
-- Columns: audience_persons, checkins.
with webinar as (
    select event_id from events where event_key = $event
),
audience as (
    select person_id from registrations where event_id in (select event_id from webinar)
    union
    select person_id from attendance where event_id in (select event_id from webinar) and not is_staff
    union
    select person_id from live_events
    where event_id in (select event_id from webinar) and not is_rehearsal and not starts_with(id, 'checkin:')
)
select
    (select count(*) from audience) as audience_persons,
    (select count(*) from live_events
     where event_id in (select event_id from webinar) and starts_with(id, 'checkin:')) as checkins
