-- Question: of the participants whose first selected webinar was A, how many attended each selected webinar B (B at or after A)?
-- A cohort is the participants new at a webinar (their first attended webinar in the selection);
-- the share present later is persons ÷ the cohort's size (the row where slot = first_slot).
-- Grain: one row per (cohort's first webinar, webinar attended) with participants, by slots.
-- Parameters (null = all): $countries varchar[], $roles varchar[], $events varchar[],
--   $series varchar[], $date_from date, $date_to date, $stages integer[],
--   $min_minutes double, $rehearsals boolean,
--   $all_webinars, $from_pairs boolean (which facts answer: Filters.params decides).
-- Columns: first_slot, slot, persons.
-- All webinars, no minimum of minutes (the usual view): the first webinar of the selection is
-- the person's first of the programme, stored with the cells.
with from_cells as (
    select first_slot, slot, sum(participants) as persons
    from selected_cohort_cells($countries, $roles, $events, $series, $date_from, $date_to, $stages)
    where $all_webinars and not $from_pairs
    group by first_slot, slot
),
-- Otherwise: from the selected pairs.
attended as (
    select person_id, slot
    from selected_pairs($countries, $roles, $events, $series, $date_from, $date_to, $stages, $min_minutes, $rehearsals)
    where is_attended and not ($all_webinars and not $from_pairs)
),
firsts as (
    select person_id, min(slot) as first_slot
    from attended
    group by person_id
),
from_pairs as (
    select f.first_slot, a.slot, count(*) as persons
    from attended a
    join firsts f using (person_id)
    group by f.first_slot, a.slot
)
select first_slot, slot, cast(persons as bigint) as persons
from (select * from from_cells union all select * from from_pairs)
order by first_slot, slot
