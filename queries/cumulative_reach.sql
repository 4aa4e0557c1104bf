-- Question: how does unique reach grow over the series, webinar by webinar?
-- A person is new at the first selected webinar they attended; a country is new at the first
-- selected webinar attended by one of its participants.
-- Grain: one row per selected webinar, in order of start.
-- Parameters (null = all): $countries varchar[], $roles varchar[], $events varchar[],
--   $series varchar[], $date_from date, $date_to date, $stages integer[], $min_minutes double.
-- Columns: event_key, title, starts_at (UTC), event_date (programme zone), participants
--   (persons at this webinar), new_participants, cumulative_participants, new_countries,
--   cumulative_countries (known countries; 'unknown' is not a country).
with attended as (
    select person_id, event_id, country, starts_at
    from selected_person_event($countries, $roles, $events, $series, $date_from, $date_to, $stages, $min_minutes)
    where is_attended
),
first_seen as (
    select person_id, arg_min(event_id, (starts_at, event_id)) as event_id, any_value(country) as country
    from attended
    group by person_id
),
country_first as (
    select country, arg_min(f.event_id, (e.starts_at, e.event_id)) as event_id
    from first_seen f join events e using (event_id)
    where country <> 'unknown'
    group by country
),
per_event as (
    select e.event_id, e.event_key, e.title, e.starts_at, e.event_date,
        (select count(*) from attended a where a.event_id = e.event_id) as participants,
        (select count(*) from first_seen f where f.event_id = e.event_id) as new_participants,
        (select count(*) from country_first c where c.event_id = e.event_id) as new_countries
    from selected_events($events, $series, $date_from, $date_to) e
)
select event_key, title, starts_at, event_date, participants, new_participants,
    cast(sum(new_participants) over w as bigint) as cumulative_participants,
    new_countries,
    cast(sum(new_countries) over w as bigint) as cumulative_countries
from per_event
window w as (order by starts_at, event_id rows between unbounded preceding and current row)
order by starts_at, event_id
