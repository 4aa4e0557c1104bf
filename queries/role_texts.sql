-- Question: which occupations were written in imported rows, how often, and what role did
-- each get? (Whether a text matched a rule is decided by dashboard.imports.normalise.)
-- Grain: one row per raw occupation text.
-- Parameters: none.
-- Columns: role_raw (as written), role (role code given), rows, persons.
with texts as (
    select person_id, role_raw, role from registrations where role_raw is not null
    union all
    select person_id, role_raw, role from attendance where role_raw is not null
)
select role_raw, any_value(role) as role, count(*) as rows, count(distinct person_id) as persons
from texts
group by role_raw
order by rows desc, role_raw
