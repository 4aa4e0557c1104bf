-- Question: how many participants attended one, two, three… of the selected webinars?
-- Grain: one row per number of webinars attended (only numbers someone has).
-- Parameters (null = all): $countries varchar[], $roles varchar[], $events varchar[],
--   $series varchar[], $date_from date, $date_to date, $stages integer[],
--   $min_minutes double, $rehearsals boolean,
--   $all_webinars, $from_pairs boolean (which facts answer: Filters.params decides).
-- Columns: webinars (attended by a person), persons.
with selection as (
    select selection_mask($events, $series, $date_from, $date_to, $rehearsals) as mask
),
-- All webinars, no minimum (the usual view): the stored counts.
from_totals as (
    select n_attended as webinars
    from person_facts
    where $all_webinars and not $from_pairs
      and person_selected(country, role, stage, is_rehearsal, $countries, $roles, $stages, $rehearsals)
),
-- Some webinars, no minimum: the stored bitstrings of webinars attended.
from_bitstrings as (
    select bit_count(attended & mask) as webinars
    from person_facts, selection
    where not $all_webinars and not $from_pairs
      and person_selected(country, role, stage, is_rehearsal, $countries, $roles, $stages, $rehearsals)
),
-- With a minimum or rehearsals: from the pairs.
from_pairs as (
    select count(*) as webinars
    from selected_pairs($countries, $roles, $events, $series, $date_from, $date_to, $stages, $min_minutes, $rehearsals)
    where $from_pairs and is_attended
    group by person_id
)
select webinars, count(*) as persons
from (select * from from_totals union all select * from from_bitstrings union all select * from from_pairs)
where webinars > 0
group by webinars
order by webinars
