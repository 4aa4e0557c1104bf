-- Question: how do the selected persons split by country, role, first selected webinar they
-- attended, and whether they came again? One pass over the persons answers every
-- person-level figure of the overview: participants, registrants, repeat participants,
-- countries reached, reach by country, by role and their matrix, and cumulative reach.
-- Grain: one row per (country, role, first_slot, is_participant, is_repeat, is_registrant)
-- holding at least one person who registered for or attended a selected webinar.
-- Parameters (null = all): $countries varchar[], $roles varchar[], $events varchar[],
--   $series varchar[], $date_from date, $date_to date, $stages integer[],
--   $min_minutes double (an attendance shorter than this, or of unknown minutes, does not count),
--   $rehearsals boolean (count rehearsal persons and webinars),
--   $all_webinars, $from_pairs boolean (which facts answer: Filters.params decides).
-- Columns: country (ISO alpha-2 or 'unknown'), role (role code), stage (1, 2 or null),
--   first_slot (slot of the first selected webinar attended, null for registrant-only),
--   is_participant, is_repeat (two or more selected webinars attended), is_registrant,
--   persons (count of persons).
with selection as (
    select selection_mask($events, $series, $date_from, $date_to, $rehearsals) as mask
),
-- All webinars, no minimum of minutes (the usual view): the stored counts.
from_totals as (
    select country, role, stage, n_attended, is_registrant, first_slot
    from person_facts
    where $all_webinars and not $from_pairs
      and person_selected(country, role, stage, is_rehearsal, $countries, $roles, $stages, $rehearsals)
),
-- Some webinars, no minimum: the stored bitstrings of webinars attended and registered.
from_bitstrings as (
    select country, role, stage,
        bit_count(attended & mask) as n_attended,
        bit_count(registered & mask) > 0 as is_registrant,
        case when bit_count(attended & mask) > 0 then bit_position('1'::bit, attended & mask) - 1 end as first_slot
    from person_facts, selection
    where not $all_webinars and not $from_pairs
      and person_selected(country, role, stage, is_rehearsal, $countries, $roles, $stages, $rehearsals)
),
-- With a minimum or rehearsals: the same from the pairs (slower; see BENCHMARKS.md).
from_pairs as (
    select any_value(country) as country, any_value(role) as role, any_value(stage) as stage,
        count(*) filter (where is_attended) as n_attended,
        bool_or(is_registered) as is_registrant,
        min(slot) filter (where is_attended) as first_slot
    from selected_pairs($countries, $roles, $events, $series, $date_from, $date_to, $stages, $min_minutes, $rehearsals)
    where $from_pairs
    group by person_id
),
persons as (
    select * from from_totals
    union all
    select * from from_bitstrings
    union all
    select * from from_pairs
)
select country, role, stage, first_slot,
    n_attended > 0 as is_participant,
    n_attended >= 2 as is_repeat,
    is_registrant,
    count(*) as persons
from persons
where n_attended > 0 or is_registrant
group by all
order by all
