-- Question: which countries can the country filter offer?
-- Every CIS state (member, associate, former) and every other country a person comes from.
-- Grain: one row per country, CIS states first, then by English name.
-- Parameters: none.
-- Columns: iso2, name_en, name_ru, cis_status, stage.
select iso2, name_en, name_ru, cis_status, stage
from countries
where cis_status is not null
   or iso2 in (select distinct country from participants where country is not null)
order by cis_status is null, name_en
