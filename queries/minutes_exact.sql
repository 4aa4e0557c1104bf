-- Question: which exact durations do the selected attendances have within given whole minutes?
-- The second step of an exact median (see minutes_histogram.sql): only the attendances of
-- the minutes that hold the middle ranks are read; pair_facts is ordered by minute, so the
-- scan skips the rest. Only attendances whose minutes are known (docs/metrics.md).
-- Grain: one row per (selected webinar, exact duration) within the given minutes.
-- Parameters (null = all): $countries varchar[], $roles varchar[], $events varchar[],
--   $series varchar[], $date_from date, $date_to date, $stages integer[],
--   $min_minutes double (an attendance shorter than this, or of unknown minutes, does not count),
--   $rehearsals boolean (count rehearsal persons),
--   $whole_minutes integer[] (the minutes to read; required).
-- Columns: event_key, whole_minute, minutes (exact duration, minutes), pairs (attendances).
select event_key, whole_minute, minutes, count(*) as pairs
from selected_pairs($countries, $roles, $events, $series, $date_from, $date_to, $stages, $min_minutes, $rehearsals)
where is_attended and minutes_known and whole_minute in (select unnest($whole_minutes))
group by event_key, whole_minute, minutes
order by event_key, whole_minute, minutes
