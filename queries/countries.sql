-- Question: which countries can a participant come from, with their names, CIS status and stage?
-- Grain: one row per ISO 3166-1 country.
-- Parameters: none.
-- Columns: iso2, iso3, name_en, name_ru, cis_status ('member', 'associate', 'former' or null),
--   stage (programme stage 1 or 2, null outside the programme).
select iso2, iso3, name_en, name_ru, cis_status, stage
from countries
order by iso2
