-- Question: which country texts in imported rows did not map to a country?
-- Grain: one row per raw country text that maps to nothing.
-- Parameters: none.
-- Columns: country_raw (as written), rows (registration and attendance rows), persons.
with texts as (
    select person_id, country_raw from registrations where country_raw is not null and country is null
    union all
    select person_id, country_raw from attendance where country_raw is not null and country is null
)
select country_raw, count(*) as rows, count(distinct person_id) as persons
from texts
group by country_raw
order by rows desc, country_raw
