-- Question: the headline figures of the selection (docs/metrics.md).
-- Grain: one row.
-- Parameters (null = all): $countries varchar[], $roles varchar[], $events varchar[],
--   $series varchar[], $date_from date, $date_to date, $stages integer[], $min_minutes double.
-- Columns:
--   participants         persons with an audience attendance
--   registrants          persons with a registration
--   attendance_rate      registered (person, event) pairs that attended, share 0..1 (null: no registrations)
--   attendances          attended (person, event) pairs
--   repeat_participants  participants with two or more attended events
--   countries            distinct known countries of participants
--   cis_countries        of those, CIS member or associate states
--   minutes_total        sum of per-pair minutes, minutes
--   median_minutes       median per-pair minutes, minutes
--   events               webinars in the selection (person filters do not remove a webinar)
with selected as (
    from selected_person_event($countries, $roles, $events, $series, $date_from, $date_to, $stages, $min_minutes)
),
per_person as (
    select person_id, any_value(country) as country,
        count(*) filter (where is_attended) as n_attended,
        bool_or(is_registered) as is_registrant
    from selected
    group by person_id
),
persons as (
    select
        count(*) filter (where n_attended > 0) as participants,
        count(*) filter (where is_registrant) as registrants,
        count(*) filter (where n_attended >= 2) as repeat_participants,
        count(distinct country) filter (where n_attended > 0 and country <> 'unknown') as countries,
        count(distinct country) filter (
            where n_attended > 0 and country in (
                select iso2 from countries where cis_status in ('member', 'associate'))
        ) as cis_countries
    from per_person
),
pairs as (
    select
        count(*) filter (where is_registered and is_attended) / nullif(count(*) filter (where is_registered), 0) as attendance_rate,
        count(*) filter (where is_attended) as attendances,
        coalesce(sum(minutes) filter (where is_attended), 0) as minutes_total,
        median(minutes) filter (where is_attended) as median_minutes
    from selected
),
webinars as (
    select count(*) as events from selected_events($events, $series, $date_from, $date_to)
)
select participants, registrants, attendance_rate, attendances, repeat_participants,
    countries, cis_countries, minutes_total, median_minutes, events
from persons, pairs, webinars
