-- Question: which countries can a participant pick at check-in, in the order of the form?
-- Every ISO 3166-1 country: CIS member and associate states first, then all the others, each
-- group alphabetical in the page's language.
-- Grain: one row per country.
-- Parameters: $lang varchar ('ru' or 'en').
-- Columns: iso2, name (in $lang), is_cis (member or associate).
select iso2,
    case when $lang = 'en' then name_en else name_ru end as name,
    coalesce(cis_status in ('member', 'associate'), false) as is_cis
from countries
order by is_cis desc, strip_accents(name)
