-- Question: how many registered for and attended each selected webinar, and for how long?
-- Within one webinar a person is one pair, so these figures add up over countries and roles
-- and over webinars (attendances, registrations, minutes).
-- Grain: one row per selected webinar, in order of start.
-- Parameters (null = all): $countries varchar[], $roles varchar[], $events varchar[],
--   $series varchar[], $date_from date, $date_to date, $stages integer[],
--   $min_minutes double (an attendance shorter than this, or of unknown minutes, does not count),
--   $rehearsals boolean (count rehearsal persons and webinars),
--   $from_pairs boolean (count from pairs, not stored cells: Filters.params decides).
-- Columns: event_key, slot, series, title, starts_at (UTC), event_date (programme zone),
--   platform, registrants (persons registered), participants (persons attended),
--   registered_attended (registered persons who attended), attendance_rate (share 0..1,
--   null without registrations), minutes_total (sum of per-person minutes where they are known,
--   not from check-ins only; minutes).
with cells as (
    select event_id, registrants, participants, registered_attended, minutes_total
    from selected_event_cells($countries, $roles, $events, $series, $date_from, $date_to, $stages)
    where not $from_pairs
    union all
    select event_id,
        count(*) filter (where is_registered),
        count(*) filter (where is_attended),
        count(*) filter (where is_registered and is_attended),
        coalesce(sum(minutes) filter (where is_attended and minutes_known), 0)
    from selected_pairs($countries, $roles, $events, $series, $date_from, $date_to, $stages, $min_minutes, $rehearsals)
    where $from_pairs
    group by event_id
),
per_event as (
    select event_id,
        sum(registrants) as registrants, sum(participants) as participants,
        sum(registered_attended) as registered_attended, sum(minutes_total) as minutes_total
    from cells
    group by event_id
)
select e.event_key, e.slot, e.series, e.title, e.starts_at, e.event_date, e.platform,
    cast(coalesce(p.registrants, 0) as bigint) as registrants,
    cast(coalesce(p.participants, 0) as bigint) as participants,
    cast(coalesce(p.registered_attended, 0) as bigint) as registered_attended,
    p.registered_attended / nullif(p.registrants, 0) as attendance_rate,
    coalesce(p.minutes_total, 0) as minutes_total
from selected_events($events, $series, $date_from, $date_to, $rehearsals) e
left join per_event p using (event_id)
order by e.slot
