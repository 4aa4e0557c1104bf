-- Question: who are the participants of the selection — the person-level list of an analyst's export?
-- Personal data: only for roles that may see persons (analysts, admins), never on a public screen.
-- Grain: one row per participant (a person who attended a selected webinar), by name.
-- Parameters (null = all): $countries varchar[], $roles varchar[], $events varchar[],
--   $series varchar[], $date_from date, $date_to date, $stages integer[],
--   $min_minutes double, $rehearsals boolean.
-- Columns: name, email, country (ISO alpha-2 or 'unknown'), role (code), webinars (attended),
--   minutes (known minutes over the selected webinars, rounded to 0.1).
select p.display_name as name, p.email, s.country, coalesce(s.role, 'unknown') as role,
    count(*) as webinars,
    round(coalesce(sum(s.minutes) filter (where s.minutes_known), 0), 1) as minutes
from selected_pairs($countries, $roles, $events, $series, $date_from, $date_to, $stages, $min_minutes, $rehearsals) s
join participants p using (person_id)
where s.is_attended
group by p.person_id, p.display_name, p.email, s.country, s.role
order by name nulls last, p.person_id
