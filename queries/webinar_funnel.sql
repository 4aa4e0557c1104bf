-- Question: for each selected webinar, how many registered, attended, stayed at least half the planned time, and came back to a later selected webinar?
-- Registered and attended are the webinar's registrants and participants (a walk-in attends
-- unregistered, so the two are not nested). Stayed half: participants whose minutes are known
-- and at least half the webinar's planned length (null when no length is planned). Came back:
-- participants who attended a later selected webinar.
-- Grain: one row per selected webinar with registrants or participants, by slot.
-- Parameters (null = all): $countries varchar[], $roles varchar[], $events varchar[],
--   $series varchar[], $date_from date, $date_to date, $stages integer[],
--   $min_minutes double, $rehearsals boolean,
--   $all_webinars, $from_pairs boolean (which facts answer: Filters.params decides).
-- Columns: event_key, slot, registered, attended, stayed_half (null: no planned length), came_back.
-- All webinars, no minimum (the usual view): the stored cells ("later selected" is any later one).
with from_cells as (
    select event_id, sum(registrants) as registered, sum(participants) as attended,
        sum(stayed_half) as stayed_half, sum(came_back) as came_back
    from selected_event_cells($countries, $roles, $events, $series, $date_from, $date_to, $stages)
    where $all_webinars and not $from_pairs
    group by event_id
),
-- Otherwise: from the selected pairs.
pairs as (
    select *
    from selected_pairs($countries, $roles, $events, $series, $date_from, $date_to, $stages, $min_minutes, $rehearsals)
    where not ($all_webinars and not $from_pairs)
),
last_attended as (
    select person_id, max(slot) as last_slot
    from pairs
    where is_attended
    group by person_id
),
from_pairs as (
    select p.event_id,
        count(*) filter (where p.is_registered) as registered,
        count(*) filter (where p.is_attended) as attended,
        count(*) filter (where p.is_attended and p.minutes_known and p.minutes >= e.planned_minutes / 2.0) as stayed_half,
        count(*) filter (where p.is_attended and l.last_slot > p.slot) as came_back
    from pairs p
    join events e using (event_id)
    left join last_attended l using (person_id)
    group by p.event_id
)
select f.event_key, f.slot,
    cast(c.registered as bigint) as registered,
    cast(c.attended as bigint) as attended,
    case when e.planned_minutes is not null then cast(c.stayed_half as bigint) end as stayed_half,
    cast(c.came_back as bigint) as came_back
from (select * from from_cells union all select * from from_pairs) c
join event_facts f using (event_id)
join events e using (event_id)
where c.registered > 0 or c.attended > 0
order by f.slot
