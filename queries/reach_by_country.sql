-- Question: how many participants come from each country?
-- Grain: one row per country with participants, 'unknown' included as its own row.
-- Parameters (null = all): $countries varchar[], $roles varchar[], $events varchar[],
--   $series varchar[], $date_from date, $date_to date, $stages integer[], $min_minutes double.
-- Columns: country (ISO alpha-2 or 'unknown'), stage (programme stage, null outside it),
--   participants (persons). Ordered by participants, most first.
with attended as (
    select distinct person_id, country, stage
    from selected_person_event($countries, $roles, $events, $series, $date_from, $date_to, $stages, $min_minutes)
    where is_attended
)
select country, any_value(stage) as stage, count(*) as participants
from attended
group by country
order by participants desc, country
