-- Question: how many participants attended one, two, three… of the selected webinars?
-- Grain: one row per number of webinars attended (only numbers someone has).
-- Parameters (null = all): $countries varchar[], $roles varchar[], $events varchar[],
--   $series varchar[], $date_from date, $date_to date, $stages integer[],
--   $min_minutes double, $rehearsals boolean.
-- Columns: webinars (attended by a person), persons.
with per_person as (
    select person_id, count(*) as webinars
    from selected_pairs($countries, $roles, $events, $series, $date_from, $date_to, $stages, $min_minutes, $rehearsals)
    where is_attended
    group by person_id
)
select webinars, count(*) as persons
from per_person
group by webinars
order by webinars
