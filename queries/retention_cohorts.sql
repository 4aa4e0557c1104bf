-- Question: of the participants whose first selected webinar was A, how many attended each selected webinar B (B at or after A)?
-- A cohort is the participants new at a webinar (their first attended webinar in the selection);
-- the share present later is persons ÷ the cohort's size (the row where slot = first_slot).
-- Grain: one row per (cohort's first webinar, webinar attended) with participants, by slots.
-- Parameters (null = all): $countries varchar[], $roles varchar[], $events varchar[],
--   $series varchar[], $date_from date, $date_to date, $stages integer[],
--   $min_minutes double, $rehearsals boolean.
-- Columns: first_slot, slot, persons.
with attended as (
    select person_id, slot
    from selected_pairs($countries, $roles, $events, $series, $date_from, $date_to, $stages, $min_minutes, $rehearsals)
    where is_attended
),
firsts as (
    select person_id, min(slot) as first_slot
    from attended
    group by person_id
)
select f.first_slot, a.slot, count(*) as persons
from attended a
join firsts f using (person_id)
group by f.first_slot, a.slot
order by f.first_slot, a.slot
