-- Question: for each selected webinar, how many registered, attended, stayed at least half the planned time, and came back to a later selected webinar?
-- Registered and attended are the webinar's registrants and participants (a walk-in attends
-- unregistered, so the two are not nested). Stayed half: participants whose minutes are known
-- and at least half the webinar's planned length (null when no length is planned). Came back:
-- participants who attended a later selected webinar.
-- Grain: one row per selected webinar with registrants or participants, by slot.
-- Parameters (null = all): $countries varchar[], $roles varchar[], $events varchar[],
--   $series varchar[], $date_from date, $date_to date, $stages integer[],
--   $min_minutes double, $rehearsals boolean.
-- Columns: event_key, slot, registered, attended, stayed_half (null: no planned length), came_back.
with pairs as (
    select *
    from selected_pairs($countries, $roles, $events, $series, $date_from, $date_to, $stages, $min_minutes, $rehearsals)
),
last_attended as (
    select person_id, max(slot) as last_slot
    from pairs
    where is_attended
    group by person_id
)
select p.event_key, p.slot,
    count(*) filter (where p.is_registered) as registered,
    count(*) filter (where p.is_attended) as attended,
    case when any_value(e.planned_minutes) is null then null
         else count(*) filter (where p.is_attended and p.minutes_known and p.minutes >= e.planned_minutes / 2.0)
    end as stayed_half,
    count(*) filter (where p.is_attended and l.last_slot > p.slot) as came_back
from pairs p
join events e using (event_id)
left join last_attended l using (person_id)
group by p.event_key, p.slot
order by p.slot
