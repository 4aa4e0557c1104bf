-- Question: how many participants does each country × role cell hold?
-- Country and role are attributes of the person, so the cells partition the participants:
-- a row total is reach by country, a column total reach by role.
-- Grain: one row per (country, role) with at least one participant; country 'unknown' included.
-- Parameters (null = all): $countries varchar[], $roles varchar[], $events varchar[],
--   $series varchar[], $date_from date, $date_to date, $stages integer[], $min_minutes double.
-- Columns: country (ISO alpha-2 or 'unknown'), role (role code), participants (persons).
with attended as (
    select distinct person_id, country, role
    from selected_person_event($countries, $roles, $events, $series, $date_from, $date_to, $stages, $min_minutes)
    where is_attended
)
select country, role, count(*) as participants
from attended
group by country, role
order by country, role
