-- Question: how many participants hold each role?
-- Grain: one row per role code with participants.
-- Parameters (null = all): $countries varchar[], $roles varchar[], $events varchar[],
--   $series varchar[], $date_from date, $date_to date, $stages integer[], $min_minutes double.
-- Columns: role (role code), participants (persons). Ordered by the roles' sort order.
with attended as (
    select distinct person_id, role
    from selected_person_event($countries, $roles, $events, $series, $date_from, $date_to, $stages, $min_minutes)
    where is_attended
)
select a.role, count(*) as participants
from attended a
join roles r on r.code = a.role
group by a.role, r.sort_order
order by r.sort_order
